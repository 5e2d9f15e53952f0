/**
 * On a simulated store whose customers' response types are known: uplift models learned
 * from the policy's own log rank held-out decisions better than random, and the oracle (the
 * simulator's expected uplift) better than the learned models. The full measurement, with
 * several seeds and larger stores, is `npm run bench:uplift`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServingModel } from '../../plugin/load-model.js';
import { nodeModelLoader } from '../../plugin/node-model-loader.node.js';
import { loggedObservations } from '../../plugin/policy/logged-observations.js';
import { riskPolicy } from '../../plugin/simulation/campaign-policies.js';
import { runCampaign } from '../../plugin/simulation/run-campaign.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import { RETENTION_ACTIONS, retainedGiven, type ResponseType, type RetentionAction } from '../../src/generate/response-types.js';
import { RetentionWorld } from '../../src/generate/retention-world.js';
import { loadEngine } from '../../src/node/index.js';
import { createRandom } from '../../src/train/random.js';
import { evaluateUplift } from '../../src/uplift/bootstrap-bands.js';
import { byAction, type UpliftObservation } from '../../src/uplift/observation.js';
import { splitByCustomer } from '../../src/uplift/test-split.js';
import { trainUplift } from '../../src/uplift/train-uplift.js';

const folder = mkdtempSync(join(tmpdir(), 'churnkit-simulated-qini-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('Qini on a simulated store', () => {
  it('ranks the oracle above the learned models, and the learned models above random', { timeout: 240_000 }, async () => {
    const engine = await loadEngine();
    const model = await loadServingModel(join(import.meta.dirname, '../../models/storefront.json'), nodeModelLoader(engine));
    const world = new RetentionWorld({ customers: 8000, days: 120 + 35 + 90, seed: 3, horizonDays: 90 });
    const store = openSqliteStore({ dataDir: folder, durability: 'normal' });
    const oracle = new Map<string, number[]>();
    const types = new Map<string, ResponseType[]>();
    try {
      await runCampaign({
        world,
        warmupDays: 120,
        campaignDays: 35,
        model,
        policies: [{ name: 'logging', settings: riskPolicy({ dailyBudget: 2000, exploration: 0.2, holdoutFraction: 0.5 }), store }],
        onTruth: ({ customerId, ts, truth }) => {
          oracle.set(`${customerId}@${ts}`, RETENTION_ACTIONS.map((action) => truth.actions[action].expectedUplift));
          types.set(`${customerId}@${ts}`, RETENTION_ACTIONS.map((action) => truth.actions[action].type));
        },
      });
      const { observations } = await loggedObservations(store);
      expect(observations.length).toBeGreaterThan(3000);
      const { train, test } = splitByCustomer(observations, 0.3, 1);
      const learned = new Map<string, (row: UpliftObservation) => number>();
      for (const [action, rows] of byAction(train)) {
        const trained = await trainUplift(rows, { engine, method: 't-learner', treatmentProbability: 0.5, trainer: { model: 'logreg', l2: 0.01 } });
        learned.set(action, (row) => trained.model.uplift(row.features));
      }
      const random = createRandom(5);
      // Both potential outcomes of every test decision are known here (its response type), so
      // each decision counts as a treated and a held-out row: the random arms' noise is gone.
      const bothOutcomes = test.flatMap((row) => {
        const type = types.get(`${row.customerId}@${row.ts}`)![RETENTION_ACTIONS.indexOf(row.action as RetentionAction)]!;
        return [true, false].map((treated) => ({ row, treated, retained: retainedGiven(type, treated) === 1 }));
      });
      const coefficient = (score: (row: UpliftObservation) => number) =>
        evaluateUplift(bothOutcomes.map(({ row, treated, retained }) => ({ score: score(row), treated, retained })), { resamples: 20, grid: [0, 1] }).coefficient;
      const oracleQini = coefficient((row) => oracle.get(`${row.customerId}@${row.ts}`)![RETENTION_ACTIONS.indexOf(row.action as RetentionAction)]!);
      const learnedQini = coefficient((row) => learned.get(row.action)!(row));
      const randomScores = new Map(test.map((row) => [row, random.next()]));
      const randomQini = coefficient((row) => randomScores.get(row)!);
      expect(oracleQini).toBeGreaterThan(learnedQini);
      expect(learnedQini).toBeGreaterThan(randomQini);
      expect(learnedQini).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
