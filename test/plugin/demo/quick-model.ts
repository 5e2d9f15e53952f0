/**
 * A small model file for demo tests, trained in-process in about a second, so the tests do
 * not depend on the shipped models/storefront.json: generated events folded with the
 * online state up to a cut-off, labelled "no order in the 60 days after it".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEvent, createCustomerState, featuresAt, type CustomerState } from '../../../src/features/online-state.js';
import { generateEvents } from '../../../src/generate/index.js';
import { loadEngine } from '../../../src/node/index.js';
import { train } from '../../../src/train/train.js';

const DAY_MS = 86_400_000;

/** Trains a logistic regression and writes it to `${dir}/quick-model.json`; returns the path. */
export async function writeQuickModel(dir: string): Promise<string> {
  const startMs = Date.UTC(2025, 0, 1);
  const cutoffMs = startMs + 150 * DAY_MS;
  const states = new Map<string, CustomerState>();
  const orderedAfter = new Set<string>();
  for (const event of generateEvents({ customers: 600, days: 210, seed: 5, startDate: '2025-01-01' })) {
    if (event.ts < cutoffMs) {
      const state = states.get(event.customerId) ?? createCustomerState();
      states.set(event.customerId, applyEvent(state, event));
    } else if (event.type === 'order') {
      orderedAfter.add(event.customerId);
    }
  }
  const rows = [...states].map(([customerId, state]) => ({
    ...featuresAt(state, cutoffMs),
    churned: orderedAfter.has(customerId) ? 0 : 1,
  }));
  const { file } = await train(rows, { engine: await loadEngine(), target: 'churned', model: 'logreg', epochs: 40, seed: 3 });
  const path = join(dir, 'quick-model.json');
  writeFileSync(path, JSON.stringify(file));
  return path;
}
