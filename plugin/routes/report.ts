/**
 * `GET /report`: retention in treatment vs hold-out per action with a 95 % interval on
 * the lift (see policy/lift-report.ts), actions issued, and the budget spent.
 */
import { liftByAction } from '../policy/lift-report.js';
import { roundMoney } from '../store/budget-check.js';
import { jsonAnswer } from '../validation/http-error.js';
import { storeFailed, type Route } from './route.js';

export const reportRoute: Route = {
  method: 'GET',
  path: '/report',
  async handle(context) {
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
      return storeFailed(context, 'report unavailable', error);
    }
    const actions = liftByAction(outcomes, decisions);
    const dailyBudget = context.policy.dailyBudget;
    return jsonAnswer({
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
  },
};
