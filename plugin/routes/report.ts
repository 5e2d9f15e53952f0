/**
 * `GET /report`: retention in treatment vs hold-out per action with a 95 % interval on
 * the lift (see policy/lift-report.ts), actions issued, and the budget spent.
 */
import type { Request, Response, Router } from 'express';
import type { PluginContext } from '../context.js';
import { liftByAction } from '../policy/lift-report.js';
import { roundMoney } from '../store/budget-check.js';
import { sendError } from '../validation/http-error.js';

/** Mounts `GET /report` on the plugin router. */
export function mountReportRoute(router: Router, context: PluginContext): void {
  router.get('/report', async (_req: Request, res: Response) => {
    const now = context.clock();
    const day = new Date(now).toISOString().slice(0, 10);
    let outcomes, decisions, spentToday;
    try {
      [outcomes, decisions, spentToday] = await Promise.all([
        context.store.outcomeReport(),
        context.store.decisionSummary(),
        context.store.spent(day),
      ]);
    } catch (error) {
      return sendError(res, 503, 'STORE_ERROR', `report unavailable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const actions = liftByAction(outcomes, decisions);
    const dailyBudget = context.policy.dailyBudget;
    res.json({
      generatedAt: new Date(now).toISOString(),
      holdoutFraction: context.policy.holdoutFraction,
      actions,
      issued: actions.reduce((sum, row) => sum + row.issued, 0),
      budget: {
        day,
        spentToday,
        // JSON has no Infinity: an unlimited budget is reported as null.
        dailyBudget: Number.isFinite(dailyBudget) ? dailyBudget : null,
        spentTotal: roundMoney(actions.reduce((sum, row) => sum + row.cost, 0)),
      },
    });
  });
}
