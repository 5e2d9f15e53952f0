/**
 * What the demo dashboard shows, computed from the store and the serving model: the risk
 * distribution of every stored customer, the customers whose churn would cost the most with
 * their reasons and the action the policy took or would take, retention in treatment vs
 * hold-out, the Qini curve of the policy's ranking per action, and the budget used.
 */
import type { ChurnkitError } from '../../src/errors.js';
import { formatProbability } from '../../src/explain/readable-number.js';
import { featuresAt } from '../../src/features/online-state.js';
import { safeCustomerValue, type PolicySettings } from '../policy/decide.js';
import { liftByAction, type ActionLift } from '../policy/lift-report.js';
import { policyQini, type ActionQini } from '../policy/policy-qini.js';
import { previewDecision } from '../policy/preview-decision.js';
import { riskBand, type BandCutoffs } from '../../src/model/risk-band.js';
import { nextTurn } from '../next-turn.js';
import { bandCutoffsFor, scoreRecord, type Band } from '../scoring.js';
import type { Reason, ServingModel } from '../serving-model.js';
import type { ChurnStore, Group } from '../store/types.js';

/** Everything the dashboard reads. */
export interface DashboardSource {
  store: ChurnStore;
  model: ServingModel;
  /** The plugin's `bands` option; undefined: the model's own cut-offs. */
  bands: BandCutoffs | undefined;
  policy: PolicySettings;
  now: number;
  /**
   * Told of each customer left out because their stored state cannot be read, with the
   * customer's position in the store's listing.
   */
  onUnreadable?: (error: ChurnkitError, position: number) => void;
}

export interface AtRiskCustomer {
  customerId: string;
  probability: number;
  /** The probability with enough decimals to tell it from its neighbours ("99.9998 %"). */
  probabilityText: string;
  band: Band;
  /** In the serving model's words (`text`); `feature`, `value` and `contribution` stay raw for programs. */
  reasons: Reason[];
  /** What the customer is worth to the store (the policy's customer value). */
  customerValue: number;
  /** What losing them is expected to cost: probability × customer value. The list's order. */
  expectedLoss: number;
  /** Today's logged decision's action, else what the policy would decide on a visit now. */
  action: string | null;
  group: Group;
  explanation: string;
  /** When today's decision was logged; null for a preview (nothing recorded, nothing spent). */
  decidedAt: number | null;
}

export interface DashboardData {
  modelVersion: string;
  scoredAt: number;
  customers: number;
  /** Customers left out of every figure: their stored state could not be read. */
  unreadableCustomers: number;
  bands: BandCutoffs;
  /**
   * Customers per bin of probability, and per bin of each band: a band's cut-off falls inside a
   * bin (the shipped model's 0.217 inside 20–25 %), so a bin can hold customers of two bands.
   */
  histogram: { binWidth: number; counts: number[]; countsByBand: Record<Band, number[]> };
  bandCounts: Record<Band, number>;
  atRisk: AtRiskCustomer[];
  retention: ActionLift[];
  /** Per action, the Qini curve of the policy's ranking on its logged decisions; null: the store cannot read its log. */
  qini: ActionQini[] | null;
  budget: { day: string; spent: number; dailyBudget: number | null };
}

const HISTOGRAM_BINS = 20;
const AT_RISK_ROWS = 15;
const PAGE_SIZE = 1000;

interface Candidate {
  customerId: string;
  probability: number;
  expectedLoss: number;
  features: Record<string, number>;
}

/** Larger expected loss first; between equal losses (customers worth nothing) the riskier. */
function byExpectedLoss(a: Candidate, b: Candidate): number {
  return b.expectedLoss - a.expectedLoss || b.probability - a.probability;
}

/**
 * Scores every stored customer at `now` and assembles the dashboard's data.
 *
 * @example
 * const data = await buildDashboard({ store, model, bands: resolveOptions(options).bands,
 *   policy: resolveOptions(options).policy, now: Date.now() });
 */
export async function buildDashboard(source: DashboardSource): Promise<DashboardData> {
  const { store, model, now } = source;
  const bands = bandCutoffsFor(model, source.bands);
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const countsByBand: Record<Band, number[]> = { low: [...counts], medium: [...counts], high: [...counts] };
  const bandCounts: Record<Band, number> = { low: 0, medium: 0, high: 0 };
  // Only the current top rows keep their features: explaining is the expensive part.
  let top: Candidate[] = [];
  let customers = 0;
  let unreadableCustomers = 0;

  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await store.listCustomers(PAGE_SIZE, offset);
    for (const [index, summary] of page.entries()) {
      if (summary.state === null) {
        unreadableCustomers++;
        source.onUnreadable?.(summary.unreadable, offset + index);
        continue;
      }
      const { customerId, state } = summary;
      const features = featuresAt(state, now);
      const probability = model.predict(features);
      if (!Number.isFinite(probability)) continue;
      customers++;
      const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor(probability * HISTOGRAM_BINS));
      const band = riskBand(probability, bands);
      counts[bin]! += 1;
      countsByBand[band][bin]! += 1;
      bandCounts[band]++;
      const candidate = { customerId, probability, expectedLoss: probability * safeCustomerValue(source.policy, features), features };
      if (top.length < AT_RISK_ROWS || byExpectedLoss(candidate, top[top.length - 1]!) < 0) {
        top.push(candidate);
        top.sort(byExpectedLoss);
        top = top.slice(0, AT_RISK_ROWS);
      }
    }
    if (page.length < PAGE_SIZE) break;
    // Scoring a page holds the main thread, and the SQLite store reads without yielding: the
    // shop's own requests are served between pages, not after the whole store (a 50,000-customer
    // store held every product page for 2 s while the dashboard loaded).
    await nextTurn();
  }

  const atRisk = await Promise.all(top.map((candidate) => describeCustomer(source, candidate)));

  const day = new Date(now).toISOString().slice(0, 10);
  const [outcomes, decisions, spent, qini] = await Promise.all([store.outcomeReport(), store.decisionSummary(), store.spent(day), policyQini(store, source.policy)]);
  return {
    modelVersion: model.version,
    scoredAt: now,
    customers,
    unreadableCustomers,
    bands,
    histogram: { binWidth: 1 / HISTOGRAM_BINS, counts, countsByBand },
    bandCounts,
    atRisk,
    retention: liftByAction(outcomes, decisions),
    qini,
    budget: { day, spent, dailyBudget: Number.isFinite(source.policy.dailyBudget) ? source.policy.dailyBudget : null },
  };
}

/**
 * One at-risk row: its reasons in words, and today's logged decision or, when the policy has
 * logged none today, the decision a visit now would get: the policy's own code on a
 * read-only store (`previewDecision`), so today's budget, cooldowns and caps apply. The
 * dashboard only reads: previewing never records a decision or spends budget.
 */
async function describeCustomer(source: DashboardSource, candidate: Candidate): Promise<AtRiskCustomer> {
  const { policy, now, store, model } = source;
  const { customerId, features } = candidate;
  const score = scoreRecord(model, features, source.bands);
  const common = {
    customerId,
    probability: score.probability,
    probabilityText: formatProbability(score.probability),
    band: score.band,
    reasons: score.reasons,
    customerValue: safeCustomerValue(policy, features),
    expectedLoss: candidate.expectedLoss,
  };
  const today = new Date(now).toISOString().slice(0, 10);
  const loggedToday = (await store.decisionsSince(customerId, Date.parse(today))).at(-1);
  if (loggedToday) {
    return { ...common, action: loggedToday.action, group: loggedToday.group, explanation: loggedToday.explanation, decidedAt: loggedToday.ts };
  }
  const preview = await previewDecision(policy, store, {
    customerId,
    churnProbability: score.probability,
    features,
    modelVersion: model.version,
    now,
  });
  return {
    ...common,
    action: preview.decision.action,
    group: preview.group,
    explanation: preview.decision.explanation,
    decidedAt: null,
  };
}
