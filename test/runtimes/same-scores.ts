/**
 * What every runtime test compares: the shipped model's probabilities for the same 1,000 raw
 * customer records, as Node computes them with the SIMD kernel in this process, and the check
 * that another runtime's answer is the same to 1e-6 and came from the kernel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { loadModel } from '../../src/model/churn-model.js';
import { parseModelFile } from '../../src/model/model-file.js';
import { loadEngine } from '../../src/node/index.js';
import { createRandom } from '../../src/train/random.js';
import { REPO } from '../package/installed-package.js';

export const SHIPPED_MODEL = join(REPO, 'models', 'storefront.json');

/**
 * 1,000 records as a storefront sends them: every model column, values spread past the fitted
 * clip range, with missing cells, numbers as text, unreadable text and an unknown extra field.
 */
export async function thousandCustomers(): Promise<RawRecord[]> {
  const file = await parseModelFile(readFileSync(SHIPPED_MODEL, 'utf8'));
  const random = createRandom(2026);
  return Array.from({ length: 1000 }, (_, index) => {
    const record: RawRecord = { customer_id: `c-${index}` };
    for (const column of file.featureSpec.columns) {
      if (column.type !== 'numeric') continue;
      const span = column.clipHigh - column.clipLow || 1;
      const value = column.clipLow - 0.1 * span + random.next() * 1.2 * span;
      const roll = random.next();
      record[column.name] = roll < 0.05 ? null : roll < 0.08 ? String(value) : roll < 0.09 ? 'n/a' : value;
    }
    return record;
  });
}

/** The reference: this Node process, the SIMD kernel, the checkout's own sources. */
export async function nodeProbabilities(customers: readonly RawRecord[]): Promise<number[]> {
  const engine = await loadEngine();
  expect(engine.kind).toBe('wasm-simd');
  const model = loadModel(engine, await parseModelFile(readFileSync(SHIPPED_MODEL, 'utf8')));
  return customers.map((customer) => model.predict(customer));
}

export interface RuntimeAnswer {
  engine: string;
  probabilities: number[];
}

/** The runtime's answer came from the kernel and matches Node's to 1e-6, customer by customer. */
export function expectSameScores(answer: RuntimeAnswer, reference: readonly number[], engine: 'wasm-simd' | 'wasm-scalar' = 'wasm-simd'): void {
  expect(answer.engine).toBe(engine);
  expect(answer.probabilities).toHaveLength(reference.length);
  let worst = 0;
  answer.probabilities.forEach((probability, index) => {
    expect(probability, `customer ${index}`).toBeGreaterThanOrEqual(0);
    worst = Math.max(worst, Math.abs(probability - reference[index]!));
  });
  expect(worst).toBeLessThan(1e-6);
}
