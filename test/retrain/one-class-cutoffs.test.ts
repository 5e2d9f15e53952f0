/**
 * Which cut-offs must hold both classes (RETRAIN_ONE_CLASS): the training cut-offs, which the
 * challenger is trained on together, and the evaluation cut-off, which the models are judged on
 * alone. An early training cut-off whose few first customers all still buy is no reason to refuse.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/churn-model.js';
import { loadEngine } from '../../src/node/index.js';
import { retrainFromStore, type RetrainOptions } from '../../src/retrain/retrain.node.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { losingChampionFile } from './losing-champion.js';

const DAY = 86_400_000;
const UNTIL = Date.parse('2026-07-01T00:00:00Z');
/** With --horizon 30d, 3 cut-offs every 30d up to UNTIL: training 2026-03-03, 2026-04-02, 2026-05-02; evaluation 2026-06-01. */
const TRAINING_DAYS = '2026-03-03, 2026-04-02, 2026-05-02';
const EVALUATION_CUTOFF = Date.parse('2026-06-01T00:00:00Z');
const FIRST_CUSTOMERS = 5;
const LATER_CUSTOMERS = 200;

/**
 * A shop whose five first customers order every 3 days from 2026-02-01; the 200 others join on
 * 2026-03-10 (after the first training cut-off) and order every 4 days: half of them, the
 * stayers, until `stayersUntil` (the first customers too), the other half until `leaverUntil(i)`.
 */
function shopEvents(options: { stayersUntil: number; leaverUntil: (customer: number) => number }): ChurnEvent[] {
  const orders = (customerId: string, from: number, every: number, until: number) =>
    Array.from({ length: Math.ceil((until - from) / (every * DAY)) }, (_, i) => ({ customerId, ts: from + i * every * DAY, type: 'order', value: 20 }));
  const first = Array.from({ length: FIRST_CUSTOMERS }, (_, i) => orders(`first${i}`, Date.parse('2026-02-01T10:00:00Z'), 3, options.stayersUntil));
  const later = Array.from({ length: LATER_CUSTOMERS }, (_, i) =>
    orders(`later${i}`, Date.parse('2026-03-10T10:00:00Z'), 4, i % 2 === 0 ? options.stayersUntil : options.leaverUntil(i)),
  );
  return [...first, ...later].flat();
}

/** Leavers whose last orders fall between 2026-03-20 and 2026-05-19: some churned at each cut-off after the first. */
const spreadLeavers = (customer: number) => Date.parse('2026-03-20T00:00:00Z') + ((customer * 7) % 60) * DAY;

async function retrain(events: ChurnEvent[]) {
  const engine = await loadEngine();
  const champion = loadModel(engine, await losingChampionFile());
  const options: RetrainOptions = { engine, champion, horizon: '30d', trainingCutoffs: 3, step: '30d', untilMs: UNTIL, training: { model: 'logreg', seed: 1 } };
  try {
    const result = await retrainFromStore({ eventLog: async function* () { yield events; } }, options);
    result.challenger.model.dispose();
    return result;
  } finally {
    champion.dispose();
  }
}

describe('RETRAIN_ONE_CLASS', () => {
  it('trains on the training cut-offs together when the earliest holds only first customers who all still buy', async () => {
    const result = await retrain(shopEvents({ stayersUntil: UNTIL, leaverUntil: spreadLeavers }));
    expect(result.training.map((cutoff) => new Date(cutoff.cutoffMs).toISOString().slice(0, 10)).join(', ')).toBe(TRAINING_DAYS);
    expect(result.training[0]).toMatchObject({ rows: FIRST_CUSTOMERS, churnRate: 0 });
    for (const cutoff of result.training.slice(1)) expect(cutoff.churnRate).toBeGreaterThan(0);
    expect(result.challenger.version).toEqual(expect.any(String));
  }, 60_000);

  it('refuses an evaluation cut-off at which every customer churned', async () => {
    // A visit, not an order, on the log's last day: the log reaches UNTIL, yet nobody is active after the cut-off.
    const lastVisit: ChurnEvent = { customerId: 'first0', ts: UNTIL - DAY / 2, type: 'session_start' };
    const everyoneGoneBeforeEvaluation = [...shopEvents({ stayersUntil: EVALUATION_CUTOFF - DAY, leaverUntil: spreadLeavers }), lastVisit];
    await expect(retrain(everyoneGoneBeforeEvaluation)).rejects.toMatchObject({
      code: 'RETRAIN_ONE_CLASS',
      message: `at the evaluation cut-off 2026-06-01, ${FIRST_CUSTOMERS + LATER_CUSTOMERS} customer rows and all of them churned: a model cannot be trained or judged on one class (check --horizon and --active)`,
    });
  });

  it('refuses training cut-offs at none of which a customer churned, naming them all', async () => {
    // The leavers order into the last training label window and stop just before the evaluation cut-off.
    const nobodyLeavesBeforeEvaluation = shopEvents({ stayersUntil: UNTIL, leaverUntil: () => EVALUATION_CUTOFF - 2 * DAY });
    await expect(retrain(nobodyLeavesBeforeEvaluation)).rejects.toMatchObject({
      code: 'RETRAIN_ONE_CLASS',
      message: `at the training cut-offs ${TRAINING_DAYS}, ${FIRST_CUSTOMERS + 2 * (FIRST_CUSTOMERS + LATER_CUSTOMERS)} customer rows and none of them churned: a model cannot be trained or judged on one class (check --horizon and --active)`,
    });
  });
});
