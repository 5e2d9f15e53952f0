/**
 * Bounds on everything a model file may hold. A model file can come from anywhere (an admin's
 * `PUT /model`, a download, a shared drive), so every array, string, count and nesting level is
 * bounded before it is walked: a hostile or broken file costs at most a few passes over a text
 * of at most `maxBytes`, and never more memory than a handful of copies of it.
 *
 * The largest legitimate models stay far inside these: the shipped model is 41 KB with 47
 * inputs; a 4,000-category, 1,024-unit MLP is 23 MB.
 *
 * The network's own bounds are the engines' (`MAX_LAYERS`, `MAX_UNITS`): a file that passed
 * `parseModelFile` must not fail later in `loadModel` for a size no engine can build.
 */
import { MAX_LAYERS, MAX_UNITS } from '../engine/network-shape.js';

export const MODEL_LIMITS = {
  /** Default largest model text, in bytes (characters for a string); `parseModelFile`'s `maxBytes` option changes it. */
  maxBytes: 64 * 2 ** 20,
  /** Nesting of the JSON document (the format itself needs 5 levels). */
  maxDepth: 32,
  /** JSON values (array items and object members) in the whole document: checked before parsing. */
  maxValues: 500_000,
  /** `version`: echoed with every score, so short. */
  maxVersionLength: 256,
  /** Column names, categories, aliases, target, id, metric names. */
  maxNameLength: 1024,
  /** Layers of the network, the output unit included. */
  maxLayers: MAX_LAYERS,
  /** Units of one layer. */
  maxUnits: MAX_UNITS,
  /** The encoded input vector (one-hot categories expanded): the first layer's fan-in, bounded like a layer. */
  maxInputs: MAX_UNITS,
  maxColumns: 10_000,
  maxCategories: 100_000,
  maxAliases: 10_000,
  maxMetrics: 1_000,
  maxScoreQuantiles: 1_001,
  /** `metadata.reference`: cut points of one column's (or the score's) bins; a categorical column's shares are bounded by `maxCategories`. */
  maxReferenceEdges: 99,
  /** `metadata.options`, the free-form record of training options: values in it, nesting below it, length of its strings. */
  maxOptionsValues: 10_000,
  maxOptionsDepth: 8,
  maxOptionsStringLength: 10_000,
  /** `metadata.options.display`, the words of each feature: length of a label, unit or phrase; phrases per feature; decimals. */
  maxDisplayTextLength: 200,
  maxDisplayCases: 8,
  maxDisplayDecimals: 6,
} as const;
