/**
 * A store any challenger can beat, fast: 400 customers over 240 days who order every few
 * days until, for half of them, they stop; and a champion that reads recency backwards (a
 * long silence rated safe), whose out-of-time ROC AUC is far below a half. A retrain with
 * `--horizon 30d --model logreg` on it promotes in seconds, for tests of what promoting does.
 */
import type { ChurnEvent } from '../../src/events/types.js';
import { fitFeatureSpec } from '../../src/model/fit-feature-spec.js';
import { serializeModel, type ModelFileV1 } from '../../src/model/model-file.js';
import { createRandom } from '../../src/train/random.js';

const DAY = 86_400_000;

export function quickShopEvents(): ChurnEvent[] {
  const random = createRandom(11);
  const start = Date.parse('2026-04-01T09:00:00Z');
  const days = 240;
  const events: ChurnEvent[] = [];
  for (let customer = 0; customer < 400; customer++) {
    const every = 3 + Math.floor(random.next() * 8);
    const stop = random.next() < 0.5 ? Math.floor(random.next() * days) : days;
    for (let day = Math.floor(random.next() * 20); day < stop; day += every) {
      events.push({ customerId: `q${customer}`, ts: start + day * DAY + Math.floor(random.next() * 8 * 3_600_000), type: 'order', value: 20 });
    }
  }
  return events;
}

/** The champion: logistic regression on `recency_days` alone, with the sign of its weight wrong. */
export async function losingChampionFile(version = 'champion-backwards'): Promise<ModelFileV1> {
  const rows = Array.from({ length: 50 }, (_, i) => ({ recency_days: i * 4 }));
  const featureSpec = fitFeatureSpec(rows, { missingIndicators: false, aliases: false });
  return serializeModel({
    version,
    architecture: { kind: 'logreg', inputs: featureSpec.inputSize, layers: [{ units: 1, activation: 'sigmoid' }] },
    featureSpec,
    parameters: [-1.5, 0],
    metadata: {
      target: 'churned',
      id: null,
      trainedAt: '2026-04-01T00:00:00.000Z',
      rows: rows.length,
      positiveRate: 0.5,
      threshold: 0.5,
      dataHash: 'c'.repeat(64),
      seed: 1,
      metrics: { rocAuc: 0.5 },
      scoreQuantiles: Array.from({ length: 21 }, (_, k) => k / 20),
      options: {},
    },
  });
}
