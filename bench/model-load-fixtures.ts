/**
 * Model files for the load benchmark and the loader's hostile-input tests: the shipped model
 * padded with arrays an attacker can add while redoing the checksum, and a genuinely large
 * model (a wide MLP over a categorical column of a few thousand categories).
 */
import { parameterCount } from '../src/engine/network-shape.js';
import { modelChecksum } from '../src/model/model-file.js';
import { floatsToBase64 } from '../src/model/base64-floats.js';
import { createRandom } from '../src/train/random.js';
import type { ColumnSpec } from '../src/model/feature-spec.js';

type JsonObject = Record<string, any>;

/** A copy of `file` with `edit` applied and its checksum redone, as a careless tool or an attacker writes it. */
export async function resignedText(file: JsonObject, edit: (copy: JsonObject) => void): Promise<string> {
  const copy = structuredClone(file);
  edit(copy);
  copy.checksum.value = await modelChecksum(copy);
  return JSON.stringify(copy);
}

/**
 * The model with an array of ones added to `metadata.options` until the file is about
 * `bytes` long: each `1,` adds two bytes, so 2 MB is a million array items.
 */
export function paddedModelText(file: JsonObject, bytes: number): Promise<string> {
  const items = Math.max(0, Math.floor((bytes - JSON.stringify(file).length) / 2));
  return resignedText(file, (copy) => {
    copy.metadata.options.padding = new Array<number>(items).fill(1);
  });
}

/**
 * A large but legitimate model: `categories` one-hot inputs plus eight numeric columns
 * into a `hidden`-unit layer, a 64-unit layer and the output. 4,000 categories and 1,024
 * hidden units give about 4.2 M weights, a 22-23 MB file.
 */
export async function wideModelText(options: { categories: number; hidden: number; seed?: number }): Promise<string> {
  const numeric: ColumnSpec[] = Array.from({ length: 8 }, (_, k) => ({
    name: `amount_${k}`, type: 'numeric', median: 1, clipLow: 0, clipHigh: 100, mean: 10, std: 5, missingIndicator: false,
  }));
  const categories = Array.from({ length: options.categories }, (_, k) => `product-category-${k}`);
  const columns: ColumnSpec[] = [...numeric, { name: 'favourite_category', type: 'categorical', categories, unknownSeen: true }];
  const inputs = numeric.length + categories.length + 1;
  const architecture = {
    kind: 'mlp' as const,
    inputs,
    layers: [
      { units: options.hidden, activation: 'relu' as const },
      { units: 64, activation: 'relu' as const },
      { units: 1, activation: 'sigmoid' as const },
    ],
  };
  const random = createRandom(options.seed ?? 5);
  const parameters = Float32Array.from({ length: parameterCount(architecture) }, () => random.nextGaussian() * 0.05);
  const unsigned = {
    format: 'churnkit-model',
    formatVersion: 1,
    version: 'wide-1',
    architecture,
    featureSpec: {
      columns,
      categoryNormalization: { foldCase: true, aliases: [] },
      inputSize: inputs,
      baseline: Array.from({ length: inputs }, (_, k) => (k < numeric.length ? 0 : 1 / (categories.length + 1))),
    },
    weights: { encoding: 'base64-f32le', count: parameters.length, data: floatsToBase64(parameters) },
    metadata: {
      target: 'churned',
      id: 'customer_id',
      trainedAt: '2026-12-01T00:00:00.000Z',
      rows: 1_000_000,
      positiveRate: 0.3,
      threshold: 0.5,
      dataHash: 'b'.repeat(64),
      seed: 1,
      metrics: { valAuc: 0.8 },
      scoreQuantiles: Array.from({ length: 101 }, (_, k) => k / 100),
      options: { model: 'mlp', hidden: [options.hidden, 64] },
    },
  };
  return JSON.stringify({ ...unsigned, checksum: { algorithm: 'sha-256', value: await modelChecksum(unsigned) } });
}
