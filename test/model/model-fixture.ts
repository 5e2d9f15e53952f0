import { fitFeatureSpec } from '../../src/model/fit-feature-spec.js';
import { parameterCount } from '../../src/engine/network-shape.js';
import { serializeModel, type ModelContents } from '../../src/model/model-file.js';
import { createRandom } from '../../src/train/random.js';
import { syntheticCustomers } from './synthetic-customers.js';

/** A small, valid model (random weights, no training) and the rows its spec was fitted on. */
export async function fixtureModel(kind: 'logreg' | 'mlp' = 'mlp') {
  const rows = syntheticCustomers(200);
  const featureSpec = fitFeatureSpec(rows, { target: 'Churn', id: 'CustomerID' });
  const architecture = {
    kind,
    inputs: featureSpec.inputSize,
    layers: [...(kind === 'mlp' ? [{ units: 8, activation: 'relu' as const }] : []), { units: 1, activation: 'sigmoid' as const }],
  };
  const random = createRandom(3);
  const parameters = Float32Array.from({ length: parameterCount(architecture) }, () => random.nextGaussian() * 0.5);
  const contents: ModelContents = {
    version: 'test-1',
    architecture,
    featureSpec,
    parameters,
    metadata: {
      target: 'Churn',
      id: 'CustomerID',
      trainedAt: '2026-11-23T10:00:00.000Z',
      rows: rows.length,
      positiveRate: 0.2,
      threshold: 0.4,
      dataHash: 'a'.repeat(64),
      seed: 1,
      metrics: { valAuc: 0.8 },
      scoreQuantiles: Array.from({ length: 101 }, (_, k) => k / 100),
      options: { model: kind },
    },
  };
  return { rows, contents, file: await serializeModel(contents) };
}
