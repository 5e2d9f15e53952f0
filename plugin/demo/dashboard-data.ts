/**
 * What the demo dashboard shows, computed from the store and the serving model: the risk
 * distribution of every stored customer, the most at-risk ones with their reasons and the
 * action the policy chose, retention in treatment vs hold-out, and the budget used.
 */
import { featuresAt } from '../../src/features/online-state.js';
import { safeCustomerValue, type PolicySettings } from '../policy/decide.js';
import { explainDecision } from '../policy/explanation.js';
import { assignGroup } from '../policy/holdout.js';
import { liftByAction, type ActionLift } from '../policy/lift-report.js';
import { rankActions } from '../policy/rank-actions.js';
import { scoreRecord, type Band } from '../scoring.js';
import type { Reason, ServingModel } from '../serving-model.js';
import type { ChurnStore, Group } from '../store/types.js';

/** Everything the dashboard reads. */
export interface DashboardSource {
  store: ChurnStore;
  model: ServingModel;
  bands: { medium: number; high: number };
  policy: PolicySettings;
  now: number;
}

export interface AtRiskCustomer {
  customerId: string;
  probability: number;
  band: Band;
  reasons: Reason[];
  /** What the customer is worth to the store (the policy's customer value). */
  customerValue: number;
  /** The latest logged decision's action, or the policy's current pick when none is logged. */
  action: string | null;
  /** Whether `action` comes from a logged decision (issued, or held out) rather than a preview. */
  logged: boolean;
  group: Group;
  explanation: string;
}

export interface DashboardData {
  modelVersion: string;
  scoredAt: number;
  customers: number;
  bands: { medium: number; high: number };
  histogram: { binWidth: number; counts: number[] };
  bandCounts: Record<Band, number>;
  atRisk: AtRiskCustomer[];
  retention: ActionLift[];
  budget: { day: string; spent: number; dailyBudget: number | null };
}

const HISTOGRAM_BINS = 20;
const AT_RISK_ROWS = 15;
const PAGE_SIZE = 1000;

/**
 * Scores every stored customer at `now` and assembles the dashboard's data.
 *
 * @example
 * const data = await buildDashboard({ store, model, bands: { medium: 0.3, high: 0.6 },
 *   policy: resolveOptions(options).policy, now: Date.now() });
 */
export async function buildDashboard(source: DashboardSource): Promise<DashboardData> {
  const { store, model, bands, now } = source;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const bandCounts: Record<Band, number> = { low: 0, medium: 0, high: 0 };
  // Only the current top rows keep their features: explaining is the expensive part.
  let top: { customerId: string; probability: number; features: Record<string, number> }[] = [];
  let customers = 0;

  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await store.listCustomers(PAGE_SIZE, offset);
    for (const { customerId, state } of page) {
      const features = featuresAt(state, now);
      const probability = model.predict(features);
      if (!Number.isFinite(probability)) continue;
      customers++;
      counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(probability * HISTOGRAM_BINS))]! += 1;
      bandCounts[probability >= bands.high ? 'high' : probability >= bands.medium ? 'medium' : 'low']++;
      if (top.length < AT_RISK_ROWS || probability > top[top.length - 1]!.probability) {
        top.push({ customerId, probability, features });
        top.sort((a, b) => b.probability - a.probability);
        top = top.slice(0, AT_RISK_ROWS);
      }
    }
    if (page.length < PAGE_SIZE) break;
  }

  const atRisk = await Promise.all(top.map(({ customerId, features }) => describeCustomer(source, customerId, features)));

  const day = new Date(now).toISOString().slice(0, 10);
  const [outcomes, decisions, spent] = await Promise.all([store.outcomeReport(), store.decisionSummary(), store.spent(day)]);
  return {
    modelVersion: model.version,
    scoredAt: now,
    customers,
    bands,
    histogram: { binWidth: 1 / HISTOGRAM_BINS, counts },
    bandCounts,
    atRisk,
    retention: liftByAction(outcomes, decisions),
    budget: { day, spent, dailyBudget: Number.isFinite(source.policy.dailyBudget) ? source.policy.dailyBudget : null },
  };
}

/**
 * One at-risk row: its reasons, and the latest logged decision or, when the policy has
 * not logged one (nothing paid, or never scored), the ranking it would make now. The
 * dashboard only reads: previewing never records a decision or spends budget.
 */
async function describeCustomer(source: DashboardSource, customerId: string, features: Record<string, number>): Promise<AtRiskCustomer> {
  const { policy, now } = source;
  const score = scoreRecord(source.model, features, source.bands);
  const customerValue = safeCustomerValue(policy, features);
  const lookBackMs = Math.max(policy.capWindowMs, ...policy.actions.map((action) => action.cooldownMs));
  const history = await source.store.decisionsSince(customerId, now - lookBackMs);
  const latest = history[history.length - 1];
  const common = { customerId, probability: score.probability, band: score.band, reasons: score.reasons, customerValue };
  if (latest) {
    return { ...common, action: latest.action, logged: true, group: latest.group, explanation: latest.explanation };
  }
  const group = assignGroup(customerId, policy.holdoutFraction, policy.holdoutSalt);
  const ranking = rankActions({
    actions: policy.actions,
    churnProbability: score.probability,
    customerValue,
    features,
    history,
    capWindowMs: policy.capWindowMs,
    now,
  });
  const action = ranking.candidates[0]?.action.name ?? null;
  return { ...common, action, logged: false, group, explanation: explainDecision(ranking.expectedValues, ranking.skipped, group) };
}
