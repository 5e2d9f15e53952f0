/**
 * A simulated retention campaign runs the plugin's real policy against real SQLite stores,
 * is deterministic for a seed, and records outcomes that follow the simulator's answer key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServingModel } from '../../../plugin/load-model.js';
import { nodeModelLoader } from '../../../plugin/node-model-loader.node.js';
import { oraclePolicy, riskPolicy } from '../../../plugin/simulation/campaign-policies.js';
import { runCampaign, type CampaignResult } from '../../../plugin/simulation/run-campaign.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import type { LoggedDecision } from '../../../plugin/store/types.js';
import { createJsEngine } from '../../../src/engine/js-engine.js';
import { retainedGiven, type RetentionAction } from '../../../src/generate/response-types.js';
import { RetentionWorld, type DecisionTruth } from '../../../src/generate/retention-world.js';

const MODEL = join(import.meta.dirname, '../../../models/storefront.json');
const model = await loadServingModel(MODEL, nodeModelLoader(createJsEngine()));
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const WARMUP = 60;
const CAMPAIGN = 10;
const HORIZON = 10;
const BUDGET = 150;

interface Run {
  results: CampaignResult[];
  log: LoggedDecision[];
  truths: Map<string, DecisionTruth>;
}

async function campaign(seed: number): Promise<Run> {
  const folder = mkdtempSync(join(tmpdir(), 'churnkit-campaign-'));
  folders.push(folder);
  const world = new RetentionWorld({ customers: 1500, days: WARMUP + CAMPAIGN + HORIZON, seed, horizonDays: HORIZON });
  const risk = openSqliteStore({ dataDir: folder, fileName: 'risk.sqlite', durability: 'normal' });
  const foresight = openSqliteStore({ dataDir: folder, fileName: 'foresight.sqlite', durability: 'normal' });
  const oracle = oraclePolicy('foresight', { dailyBudget: BUDGET });
  const truths = new Map<string, DecisionTruth>();
  try {
    const results = await runCampaign({
      world,
      warmupDays: WARMUP,
      campaignDays: CAMPAIGN,
      model,
      policies: [
        { name: 'risk', settings: riskPolicy({ dailyBudget: BUDGET, exploration: 0.05 }), store: risk },
        { name: 'foresight', settings: oracle.settings, store: foresight, consider: oracle.oracle.consider },
      ],
      onTruth: ({ customerId, ts, truth }) => truths.set(`${customerId}@${ts}`, truth),
    });
    const log: LoggedDecision[] = [];
    for await (const entry of risk.decisionLog!()) log.push(entry);
    return { results, log, truths };
  } finally {
    await risk.close();
    await foresight.close();
  }
}

describe('a simulated retention campaign', async () => {
  const first = await campaign(4);

  it('is the same, decision for decision, for the same seed', async () => {
    const again = await campaign(4);
    expect(again.results).toEqual(first.results);
    expect(again.log).toEqual(first.log);
    expect((await campaign(5)).log).not.toEqual(first.log);
  });

  it('decides with the real policy: budget per day, free hold-out decisions, explanations and features logged', () => {
    const [risk] = first.results;
    expect(risk!.decisions).toBe(first.log.length);
    expect(risk!.treated).toBeGreaterThan(50);
    expect(risk!.heldOut).toBeGreaterThan(5);
    expect(risk!.explored).toBeGreaterThan(0);
    const spentByDay = new Map<string, number>();
    for (const { decision } of first.log) {
      if (decision.group === 'holdout') expect(decision.cost).toBe(0);
      spentByDay.set(decision.day, (spentByDay.get(decision.day) ?? 0) + decision.cost);
      // The policy's own account: the chosen action first, or the random draw that chose it.
      expect(decision.explanation).toMatch(decision.explored ? new RegExp(`explored ${decision.action} at random`) : new RegExp(`${decision.action}: EV -?\\d+\\.\\d\\d`));
      expect(decision.features?.recency_days).toEqual(expect.any(Number));
    }
    expect(spentByDay.size).toBe(CAMPAIGN);
    for (const spent of spentByDay.values()) expect(spent).toBeLessThanOrEqual(BUDGET);
    // The budget binds: most days are spent to within the cheapest action.
    expect([...spentByDay.values()].filter((spent) => spent > BUDGET - 4).length).toBeGreaterThan(CAMPAIGN / 2);
    // One decision per customer.
    expect(new Set(first.log.map(({ decision }) => decision.customerId)).size).toBe(first.log.length);
  });

  it('records each decision\'s outcome a horizon later, as the customer\'s response type says', () => {
    for (const { decision, outcome } of first.log) {
      const truth = first.truths.get(`${decision.customerId}@${decision.ts}`)!;
      const type = truth.actions[decision.action as RetentionAction].type;
      expect(outcome).toEqual({ ts: decision.ts + HORIZON * 86_400_000, retained: retainedGiven(type, decision.group === 'treatment') === 1 });
    }
  });

  it('counts extra retained customers on the ground truth: the foresight oracle treats persuadables only', () => {
    const [risk, foresight] = first.results;
    expect(foresight!.treated).toBeGreaterThan(0);
    expect(foresight!.extraRetained).toBe(foresight!.treated);
    expect(foresight!.treatedTypes.persuadable).toBe(foresight!.treated);
    expect(risk!.extraRetained).toBe(risk!.treatedTypes.persuadable - risk!.treatedTypes.sleeping_dog);
    expect(foresight!.extraRetained).toBeGreaterThan(risk!.extraRetained);
  });
});
