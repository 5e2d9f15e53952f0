/**
 * A small hand-weighted logistic model over three online features (as the store computes
 * them), one request-side field and one categorical column: probabilities move the way a
 * reader expects (stale, few orders → risky; full cart → safer), so tests can assert
 * directions and exact versions without training anything.
 */
import { createJsEngine } from '../../src/engine/js-engine.js';
import { explainable, type ExplainableChurnModel } from '../../src/explain/explainable.js';
import { loadModel } from '../../src/model/churn-model.js';
import { columnWidth, type RawRecord } from '../../src/model/feature-spec.js';
import { fitFeatureSpec } from '../../src/model/fit-feature-spec.js';
import { serializeModel, type ModelFileV1 } from '../../src/model/model-file.js';
import { createRandom } from '../../src/train/random.js';

const WEIGHTS: Record<string, number> = {
  recency_days: 1.5,
  log_orders_total: -1.0,
  log_refunds_total: 0.5,
  cart_items: -0.8,
};

function trainingRows(): RawRecord[] {
  const random = createRandom(7);
  return Array.from({ length: 200 }, () => ({
    recency_days: Math.floor(random.next() * 400),
    log_orders_total: random.next() * 4,
    log_refunds_total: random.next() < 0.8 ? 0 : random.next(),
    cart_items: Math.floor(random.next() * 10),
    device: random.next() < 0.5 ? 'web' : 'app',
  }));
}

/**
 * The test model's inputs the store does not produce: the storefront supplies them per request
 * (`features(req)`, score records). Plugins serving it declare them (`modelFit`), as a
 * storefront would, or the model-fit check refuses 2 of 5 inputs without a source.
 */
export const TEST_MODEL_FIT = { requestFeatures: ['cart_items', 'device'] };

/** The model file of version `version`; `bias` shifts every logit (so versions score differently). */
export async function testModelFile(version = 'test-v1', bias = -0.5): Promise<ModelFileV1> {
  const rows = trainingRows();
  const featureSpec = fitFeatureSpec(rows, { missingIndicators: false, aliases: false });
  const parameters: number[] = [];
  for (const column of featureSpec.columns) {
    const width = columnWidth(column);
    for (let slot = 0; slot < width; slot++) parameters.push(slot === 0 ? (WEIGHTS[column.name] ?? 0) : 0);
  }
  parameters.push(bias);
  return serializeModel({
    version,
    architecture: { kind: 'logreg', inputs: featureSpec.inputSize, layers: [{ units: 1, activation: 'sigmoid' }] },
    featureSpec,
    parameters,
    metadata: {
      target: 'churned',
      id: null,
      trainedAt: '2026-11-23T10:00:00.000Z',
      rows: rows.length,
      positiveRate: 0.25,
      threshold: 0.5,
      dataHash: 'b'.repeat(64),
      seed: 7,
      metrics: { rocAuc: 0.81 },
      scoreQuantiles: Array.from({ length: 21 }, (_, k) => k / 20),
      options: {},
    },
  });
}

/** The loaded test model on the pure-TypeScript engine (no WebAssembly build needed), able to explain as the plugin makes it. */
export async function testModel(version = 'test-v1', bias = -0.5): Promise<ExplainableChurnModel> {
  return explainable(loadModel(createJsEngine(), await testModelFile(version, bias)));
}

/**
 * `model` with `method` counted: a model that behaves the same, and the number of calls so far.
 *
 * @example
 * const { model: counting, counter } = countingModel(await testModel(), 'predict');
 */
export function countingModel(model: ExplainableChurnModel, method: 'predict' | 'explain'): { model: ExplainableChurnModel; counter: { calls: number } } {
  const counter = { calls: 0 };
  const original = (model[method] as (...args: unknown[]) => unknown).bind(model);
  const counting = Object.assign(Object.create(model) as ExplainableChurnModel, {
    [method]: (...args: unknown[]) => {
      counter.calls++;
      return original(...args);
    },
  });
  return { model: counting, counter };
}
