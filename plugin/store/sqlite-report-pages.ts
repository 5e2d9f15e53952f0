/**
 * The lift report's two aggregates on the SQLite store, read a page at a time with a turn of
 * the event loop between pages. better-sqlite3 runs a statement on the thread that calls it,
 * and `GET /report` is a route anyone may call: read in one statement each, they held the
 * storefront's main thread for the whole of both tables (493 ms and 644 ms on a store of a
 * million decisions and half a million outcomes), and every page waited. A page is a few ms;
 * reports asked for while one is being read share it.
 *
 * What a report read over several turns sees: the decisions logged before it started (later
 * ones have higher ids than it reads up to), and each customer's outcomes as committed when
 * their page was read.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { nextTurn } from '../next-turn.js';
import { roundMoney } from './budget-check.js';
import { byActionThenGroup } from './report-order.js';
import type { DecisionSummaryRow, Group, ReportRow } from './types.js';

/**
 * Decision ids, and customers with outcomes, per page: on a store of a million decisions and
 * half a million outcomes, the longest a page held the main thread was 5.8 and 5.3 ms here.
 */
const DECISION_IDS_PER_PAGE = 5_000;
const OUTCOME_CUSTOMERS_PER_PAGE = 500;

export class SqliteReportPages {
  private readonly selectLastDecisionId;
  private readonly selectDecisionPage;
  private readonly selectOutcomeCustomers;
  private readonly selectOutcomesBetween;
  private summaryRead: Promise<DecisionSummaryRow[]> | undefined;
  private outcomesRead: Promise<ReportRow[]> | undefined;

  constructor(db: BetterSqlite3.Database) {
    this.selectLastDecisionId = db.prepare<[], number | null>('SELECT MAX(id) FROM decisions').pluck();
    this.selectDecisionPage = db.prepare<[number, number], { action: string; grp: Group; count: number; cost: number }>(
      `SELECT COALESCE(action, 'none') AS action, grp, COUNT(*) AS count, SUM(cost) AS cost
       FROM decisions WHERE id > ? AND id <= ? GROUP BY COALESCE(action, 'none'), grp`,
    );
    this.selectOutcomeCustomers = db
      .prepare<[string, number], string>('SELECT DISTINCT customer_id FROM outcomes WHERE customer_id > ? ORDER BY customer_id LIMIT ?')
      .pluck();
    // In id order within a customer (the index on customer_id keeps rows in rowid order), so
    // the last row of a customer's (action, group) is their latest outcome there.
    this.selectOutcomesBetween = db.prepare<[string, string], { customer_id: string; action: string; grp: Group; retained: number }>(
      `SELECT customer_id, action, grp, retained FROM outcomes
       WHERE customer_id >= ? AND customer_id <= ? AND grp IS NOT NULL ORDER BY customer_id, id`,
    );
  }

  /** Decisions and their cost per (action, group); "none" for decisions of no action. */
  decisionSummary(): Promise<DecisionSummaryRow[]> {
    return (this.summaryRead ??= this.readDecisionSummary().finally(() => (this.summaryRead = undefined)));
  }

  /** Customers and those retained per (action, group), each customer counted by their latest outcome there. */
  outcomeReport(): Promise<ReportRow[]> {
    return (this.outcomesRead ??= this.readOutcomeReport().finally(() => (this.outcomesRead = undefined)));
  }

  private async readDecisionSummary(): Promise<DecisionSummaryRow[]> {
    const last = this.selectLastDecisionId.get() ?? 0;
    const rows = new Map<string, DecisionSummaryRow>();
    for (let after = 0; after < last; after += DECISION_IDS_PER_PAGE) {
      if (after > 0) await nextTurn();
      for (const page of this.selectDecisionPage.all(after, Math.min(after + DECISION_IDS_PER_PAGE, last))) {
        const key = JSON.stringify([page.action, page.grp]);
        const row = rows.get(key) ?? { action: page.action, group: page.grp, count: 0, cost: 0 };
        row.count += page.count;
        row.cost += page.cost;
        rows.set(key, row);
      }
    }
    return [...rows.values()].map((row) => ({ ...row, cost: roundMoney(row.cost) })).sort(byActionThenGroup);
  }

  private async readOutcomeReport(): Promise<ReportRow[]> {
    const rows = new Map<string, ReportRow>();
    for (let after = '', first = true; ; first = false) {
      if (!first) await nextTurn();
      const customers = this.selectOutcomeCustomers.all(after, OUTCOME_CUSTOMERS_PER_PAGE);
      if (customers.length === 0) break;
      // A customer's latest outcome per (action, group): later rows replace earlier ones; the
      // rows come customer by customer, so each customer is added once their rows end.
      let customer: string | undefined;
      const latest = new Map<string, { action: string; group: Group; retained: number }>();
      const addCustomer = () => {
        for (const outcome of latest.values()) {
          const key = JSON.stringify([outcome.action, outcome.group]);
          const row = rows.get(key) ?? { action: outcome.action, group: outcome.group, customers: 0, retained: 0 };
          row.customers += 1;
          row.retained += outcome.retained;
          rows.set(key, row);
        }
        latest.clear();
      };
      for (const outcome of this.selectOutcomesBetween.all(customers[0]!, customers[customers.length - 1]!)) {
        if (outcome.customer_id !== customer) {
          addCustomer();
          customer = outcome.customer_id;
        }
        latest.set(JSON.stringify([outcome.action, outcome.grp]), { action: outcome.action, group: outcome.grp, retained: outcome.retained });
      }
      addCustomer();
      after = customers[customers.length - 1]!;
    }
    return [...rows.values()].sort(byActionThenGroup);
  }
}
