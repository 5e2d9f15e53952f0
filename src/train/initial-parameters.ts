import type { NetworkShape } from '../engine/types.js';
import type { Random } from './random.js';

/**
 * Seeded starting parameters in the engine's layout (per layer: W input-major,
 * then bias). He-normal scale for ReLU layers (keeps activations' variance
 * steady through ReLUs), Glorot-normal for the rest; biases start at zero.
 * A logistic regression (one layer) starts at zero: its loss is convex, so no
 * symmetry needs breaking and zero start makes runs reproducible without a seed.
 */
export function initialParameters(shape: NetworkShape, random: Random): Float32Array {
  let total = 0;
  let fanIn = shape.inputs;
  for (const layer of shape.layers) {
    total += fanIn * layer.units + layer.units;
    fanIn = layer.units;
  }
  const parameters = new Float32Array(total);
  if (shape.layers.length === 1) return parameters;
  let at = 0;
  fanIn = shape.inputs;
  for (const layer of shape.layers) {
    const scale =
      layer.activation === 'relu' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + layer.units));
    for (let i = 0; i < fanIn * layer.units; i++) parameters[at++] = random.nextGaussian() * scale;
    at += layer.units;
    fanIn = layer.units;
  }
  return parameters;
}
