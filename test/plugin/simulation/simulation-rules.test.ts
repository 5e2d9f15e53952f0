/**
 * The simulated campaign's accounts and hand-offs, checked against the decision log and the
 * answer key: what each result counts, when and how outcomes reach the store, what the event
 * store and the progress callback receive, the world it needs, and the policies' defaults.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServingModel } from '../../../plugin/load-model.js';
import { nodeModelLoader } from '../../../plugin/node-model-loader.node.js';
import { oraclePolicy, riskPolicy, upliftPolicy } from '../../../plugin/simulation/campaign-policies.js';
import { upliftModels } from '../../../plugin/policy/uplift-models.js';
import { createOracle } from '../../../plugin/simulation/oracle-uplift.js';
import { runCampaign, type CampaignResult } from '../../../plugin/simulation/run-campaign.js';
import { SIMULATED_ACTIONS, yearlyRevenue } from '../../../plugin/simulation/simulated-store-policy.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import type { LoggedDecision, Outcome } from '../../../plugin/store/types.js';
import { createJsEngine } from '../../../src/engine/js-engine.js';
import type { ChurnEvent } from '../../../src/events/types.js';
import { upliftOf, type RetentionAction } from '../../../src/generate/response-types.js';
import { RetentionWorld, type DecisionTruth, type WorldDay } from '../../../src/generate/retention-world.js';

const MODEL = join(import.meta.dirname, '../../../models/storefront.json');
const model = await loadServingModel(MODEL, nodeModelLoader(createJsEngine()));
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
const DAY_MS = 86_400_000;

const WARMUP = 50;
const CAMPAIGN = 8;
const HORIZON = 6;
const DAYS = WARMUP + CAMPAIGN + HORIZON;

interface Recorded {
  outcome: Outcome;
  /** Days the campaign had finished when the outcome was recorded. */
  daysDone: number;
}

async function campaign() {
  const folder = mkdtempSync(join(tmpdir(), 'churnkit-campaign-rules-'));
  folders.push(folder);
  const world = new RetentionWorld({ customers: 1200, days: DAYS, seed: 11, horizonDays: HORIZON });
  const store = openSqliteStore({ dataDir: folder, fileName: 'risk.sqlite', durability: 'normal' });
  const recorded: Recorded[] = [];
  const progress: [number, number][] = [];
  const truths = new Map<string, { day: number; truth: DecisionTruth }>();
  const record = store.recordOutcome.bind(store);
  store.recordOutcome = async (outcome) => {
    recorded.push({ outcome, daysDone: progress.length });
    await record(outcome);
  };
  try {
    const [result] = await runCampaign({
      world,
      warmupDays: WARMUP,
      campaignDays: CAMPAIGN,
      model,
      policies: [{ name: 'risk', settings: riskPolicy({ dailyBudget: 120, exploration: 0.1 }), store }],
      onTruth: ({ customerId, day, ts, truth }) => truths.set(`${customerId}@${ts}`, { day, truth }),
      onDay: (daysDone, days) => progress.push([daysDone, days]),
    });
    const log: LoggedDecision[] = [];
    for await (const entry of store.decisionLog!()) log.push(entry);
    return { result: result!, log, recorded, progress, truths };
  } finally {
    await store.close();
  }
}

describe('a simulated campaign\'s accounts', async () => {
  const run = await campaign();
  const typeOf = ({ decision }: LoggedDecision) => run.truths.get(`${decision.customerId}@${decision.ts}`)!.truth.actions[decision.action as RetentionAction].type;
  const treated = run.log.filter(({ decision }) => decision.group === 'treatment');

  it('counts every logged decision once: treated and held out, explored, and what was spent', () => {
    const { result, log } = run;
    expect(log.length).toBeGreaterThan(30);
    expect(result.decisions).toBe(log.length);
    expect(result.treated).toBe(treated.length);
    expect(result.heldOut).toBe(log.length - treated.length);
    expect(result.heldOut).toBeGreaterThan(0);
    expect(result.explored).toBe(log.filter(({ decision }) => decision.explored === true).length);
    expect(result.explored).toBeLessThan(log.length);
    expect(result.spent).toBeCloseTo(treated.reduce((sum, { decision }) => sum + decision.cost, 0), 9);
  });

  it('splits the treated by action: how many, the extra retained and the spend of each', () => {
    const expected: CampaignResult['byAction'] = {};
    for (const entry of treated) {
      const perAction = (expected[entry.decision.action!] ??= { treated: 0, extraRetained: 0, spent: 0 });
      perAction.treated++;
      perAction.extraRetained += upliftOf(typeOf(entry));
      perAction.spent += entry.decision.cost;
    }
    expect(Object.keys(expected).length).toBeGreaterThan(1);
    expect(run.result.byAction).toEqual(expected);
    expect(Object.values(run.result.byAction).reduce((sum, { extraRetained }) => sum + extraRetained, 0)).toBe(run.result.extraRetained);
  });

  it('records each outcome on the day the horizon ends, after that day\'s events, naming the decision\'s action and group', () => {
    expect(run.recorded.length).toBe(run.log.length);
    for (const { outcome, daysDone } of run.recorded) {
      const entry = run.log.find(({ decision }) => decision.customerId === outcome.customerId)!;
      const decisionDay = run.truths.get(`${outcome.customerId}@${entry.decision.ts}`)!.day;
      expect(daysDone).toBe(decisionDay + HORIZON);
      expect(outcome.action).toBe(entry.decision.action);
      expect(outcome.group).toBe(entry.decision.group);
    }
  });

  it('hands each customer\'s answer key over with the day they were considered, and reports progress after each day', () => {
    const { startMs } = new RetentionWorld({ customers: 1, days: 1, seed: 11, horizonDays: 1 });
    expect(run.truths.size).toBeGreaterThan(100);
    for (const [key, { day }] of run.truths) {
      const ts = Number(key.slice(key.lastIndexOf('@') + 1));
      expect(Math.floor((ts - startMs) / DAY_MS)).toBe(day);
    }
    expect(run.progress).toEqual(Array.from({ length: DAYS }, (_, index) => [index + 1, DAYS]));
  });
});

describe('a simulated campaign\'s world and event store', () => {
  it('needs a world of warm-up + campaign + horizon days, and refuses a shorter one', async () => {
    const settings = riskPolicy();
    const policies = [{ name: 'risk', settings, store: openSqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'churnkit-campaign-rules-')), fileName: 's.sqlite' }) }];
    const world = new RetentionWorld({ customers: 30, days: 9, seed: 1, horizonDays: 3 });
    await expect(runCampaign({ world, warmupDays: 5, campaignDays: 2, model, policies })).rejects.toThrow(/simulates 9 days; the campaign needs 10/);
    await expect(runCampaign({ world, warmupDays: 4, campaignDays: 2, model, policies })).resolves.toHaveLength(1);
    await policies[0]!.store.close();
  });

  it('appends every event of a day to the event store, however many there are', async () => {
    const events: ChurnEvent[] = Array.from({ length: 12_345 }, (_, index) => ({ customerId: 'c', ts: index, type: 'page_view' }));
    const day: WorldDay = { events, eventCustomers: new Int32Array(events.length), visitors: [] };
    const world = { days: 1, horizonDays: 1, customerIds: ['c'], simulateDay: () => day } as unknown as RetentionWorld;
    const appended: ChurnEvent[] = [];
    const eventStore = { appendEvents: async (batch: readonly ChurnEvent[]) => void appended.push(...batch) } as unknown as Parameters<typeof runCampaign>[0]['eventStore'];
    await runCampaign({ world, warmupDays: 0, campaignDays: 0, model, policies: [], eventStore });
    expect(appended).toEqual(events);
  });
});

describe('the compared policies', () => {
  it('run today\'s risk policy with the simulated store\'s defaults: budget 400, hold-out 0.2, no exploration, features logged', () => {
    const settings = riskPolicy();
    expect(settings.dailyBudget).toBe(400);
    expect(settings.holdoutFraction).toBe(0.2);
    expect(settings.exploration?.rate ?? 0).toBe(0);
    expect(settings.logFeatures).toBe(true);
    expect(settings.uplift).toBeUndefined();
  });

  it('pass the uplift policy\'s trust threshold through, and never let an oracle explore', () => {
    const models = upliftModels([...createOracle('expected', ['coupon']).models.values()]);
    expect(upliftPolicy(models, { minDecisions: 1234 }).uplift?.minDecisions).toBe(1234);
    expect(oraclePolicy('expected', { exploration: 0.2 }).settings.exploration?.rate ?? 0).toBe(0);
  });

  it('have oracles answer the expected uplift or the realised one for the customer considered, and nothing before', () => {
    const truth = { actions: { coupon: { type: 'sleeping_dog', expectedUplift: 0.125 } } } as unknown as DecisionTruth;
    const expected = createOracle('expected', ['coupon']);
    const foresight = createOracle('foresight', ['coupon']);
    expect(expected.models.get('coupon')!.uplift({})).toBeNaN();
    expected.consider(truth);
    foresight.consider(truth);
    expect(expected.models.get('coupon')!.uplift({})).toBe(0.125);
    expect(foresight.models.get('coupon')!.uplift({})).toBe(-1);
  });

  it('price the actions as docs/uplift.md does, keep the coupon from refunders, and value a customer by last year\'s revenue', () => {
    expect(SIMULATED_ACTIONS.map(({ name, cost }) => [name, cost])).toEqual([['coupon', 10], ['free_shipping', 5], ['care_call', 4]]);
    expect(SIMULATED_ACTIONS[0].eligibility).toEqual([{ feature: 'log_refunds_total', atMost: 0 }]);
    expect(yearlyRevenue({ log_revenue_365d: Math.log1p(250) })).toBeCloseTo(250, 9);
    expect(yearlyRevenue({ log_revenue_365d: 0 })).toBe(0);
    expect(yearlyRevenue({ log_revenue_365d: Number.POSITIVE_INFINITY })).toBe(0);
    expect(yearlyRevenue({})).toBe(0);
  });
});
