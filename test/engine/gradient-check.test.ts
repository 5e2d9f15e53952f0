import { describe, expect, it } from 'vitest';
import { trainable } from '../../src/engine/trainable.js';
import { JsNetwork } from '../../src/engine/js-network.js';
import type { Engine, NetworkShape, TrainingConfig } from '../../src/engine/types.js';
import { LOGISTIC_REGRESSION, ODD_MLP, randomBatch, randomParameters } from './fixtures.js';
import { scalarEngine, simdEngine } from './kernels.js';

const TWO_HIDDEN: NetworkShape = {
  inputs: 6,
  layers: [
    { units: 8, activation: 'tanh' },
    { units: 5, activation: 'sigmoid' },
    { units: 1, activation: 'sigmoid' },
  ],
};

const CONFIG: TrainingConfig = { optimizer: 'adam', learningRate: 0.01, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0.01, batchSize: 32 };

/** |a - b| / max(|a|, |b|, floor): relative where values are large, absolute near zero. */
function relativeError(a: number, b: number, floor = 1e-6): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** Central finite differences of the loss, entirely in float64 on the TypeScript reference. */
function numericGradient(shape: NetworkShape, parameters: Float64Array, rows = 24): Float64Array {
  const network = new JsNetwork(shape);
  network.configureTraining(CONFIG);
  const batch = randomBatch(shape.inputs, rows, 7);
  const scratch = new Float64Array(parameters.length);
  const numeric = new Float64Array(parameters.length);
  const h = 1e-5;
  const lossAt = (p: Float64Array) => {
    network.setParameters(p);
    return network.lossAndGradient(batch.matrix, batch.labels, batch.weights, batch.rows, scratch);
  };
  for (let k = 0; k < parameters.length; k++) {
    const shifted = parameters.slice();
    shifted[k] = parameters[k]! + h;
    const up = lossAt(shifted);
    shifted[k] = parameters[k]! - h;
    numeric[k] = (up - lossAt(shifted)) / (2 * h);
  }
  return numeric;
}

function analyticGradient(shape: NetworkShape, parameters: Float64Array, rows = 24): Float64Array {
  const network = new JsNetwork(shape);
  network.configureTraining(CONFIG);
  network.setParameters(parameters);
  const batch = randomBatch(shape.inputs, rows, 7);
  const gradient = new Float64Array(parameters.length);
  network.lossAndGradient(batch.matrix, batch.labels, batch.weights, batch.rows, gradient);
  return gradient;
}

describe('TypeScript reference gradients match central finite differences (float64)', () => {
  for (const [name, shape] of [['logistic regression', LOGISTIC_REGRESSION], ['two hidden layers', TWO_HIDDEN], ['five layers of odd sizes', ODD_MLP]] as const) {
    it(`for ${name}, relative error < 1e-3 on every parameter`, () => {
      const parameters = Float64Array.from(randomParameters(shape, 11));
      const analytic = analyticGradient(shape, parameters);
      const numeric = numericGradient(shape, parameters);
      let worst = 0;
      for (let k = 0; k < parameters.length; k++) worst = Math.max(worst, relativeError(analytic[k]!, numeric[k]!));
      expect(worst).toBeLessThan(1e-3);
      // A gradient of all zeros would pass the comparison trivially.
      expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(1e-3);
    });
  }

  it('input gradient of the logit matches finite differences on the input', () => {
    const network = new JsNetwork(TWO_HIDDEN);
    network.setParameters(randomParameters(TWO_HIDDEN, 3));
    const row = [0.3, -1.2, 0.8, 2.0, -0.4, 0.05];
    const gradient = new Float32Array(row.length);
    network.inputGradient(row, gradient);
    const h = 1e-4;
    for (let i = 0; i < row.length; i++) {
      const up = row.slice();
      up[i] = row[i]! + h;
      const down = row.slice();
      down[i] = row[i]! - h;
      const logit = (values: number[]) => { network.input.set(values); return network.logitInput(); };
      // The input is stored as float32, so the difference is taken over the rounded step.
      const step = Math.fround(up[i]!) - Math.fround(down[i]!);
      expect(relativeError(gradient[i]!, (logit(up) - logit(down)) / step, 1e-4)).toBeLessThan(1e-3);
    }
  });
});

describe('WebAssembly gradients match the float64 reference', () => {
  for (const [kernelName, makeEngine] of [['SIMD', simdEngine], ['scalar', scalarEngine]] as [string, () => Engine][]) {
    for (const [name, shape] of [['logistic regression', LOGISTIC_REGRESSION], ['two hidden layers', TWO_HIDDEN], ['five layers of odd sizes', ODD_MLP]] as const) {
      it(`${kernelName} kernel, ${name}: relative error < 1e-3 on every parameter`, () => {
        const parameters = randomParameters(shape, 11);
        const expected = analyticGradient(shape, Float64Array.from(parameters));
        const network = trainable(makeEngine().createNetwork(shape));
        network.configureTraining(CONFIG);
        network.setParameters(parameters);
        const batch = randomBatch(shape.inputs, 24, 7);
        const gradient = new Float32Array(parameters.length);
        network.lossAndGradient(batch.matrix, batch.labels, batch.weights, batch.rows, gradient);
        // float32 sums cancel: components far below the largest are compared on the largest's scale.
        const floor = 1e-3 * Math.max(...expected.map(Math.abs));
        let worst = 0;
        for (let k = 0; k < parameters.length; k++) worst = Math.max(worst, relativeError(gradient[k]!, expected[k]!, floor));
        expect(worst).toBeLessThan(1e-3);
      });
    }
  }
});
