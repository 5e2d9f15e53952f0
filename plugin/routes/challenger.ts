/**
 * The challenger model beside the serving one (docs/plugin.md, "Champion and challenger"):
 * `GET /challenger` compares the two on the customers both scored whose churn horizon has
 * passed in the event log (AUC, log loss, Brier; labels as retraining makes them, with the
 * plugin's `churnDefinition`; one computation shared by concurrent callers and reused for
 * `REPORT_REUSE_MS`); `PUT /challenger` (admin) loads a model file as the challenger,
 * `DELETE /challenger` (admin) removes it. Served by the Express plugin, whose stores keep
 * the scores.
 */
import { ChurnkitError } from '../../src/errors.js';
import { publicMessage, reportError } from '../error-report.js';
import { requireChallengerLog } from '../challenger/challenger.js';
import type { PluginContext } from '../context.js';
import { errorAnswer, jsonAnswer, type JsonAnswer } from '../validation/http-error.js';
import { loadModelBody } from './model.js';
import type { Route } from './route.js';

export const compareChallengerRoute: Route = {
  method: 'GET',
  path: '/challenger',
  async handle(context) {
    const challenger = context.challenger.current();
    try {
      const report = await context.challengerReport();
      return jsonAnswer({
        challenger: challenger === null ? null : { version: challenger.version, engine: challenger.engine },
        sample: context.challengerSample,
        ...report,
      });
    } catch (error) {
      return storeFailure(context, 'challenger report unavailable', error);
    }
  },
};

export const setChallengerRoute: Route = {
  method: 'PUT',
  path: '/challenger',
  body: 'model',
  admin: true,
  async handle(context, body) {
    const refused = await storeRefusal(context);
    if (refused !== null) return refused;
    const model = await loadModelBody(context, body);
    if ('status' in model) return model;
    const previous = context.challenger.current()?.version ?? null;
    context.challenger.set(model);
    return jsonAnswer({ version: model.version, previousVersion: previous });
  },
};

export const clearChallengerRoute: Route = {
  method: 'DELETE',
  path: '/challenger',
  admin: true,
  async handle(context) {
    const previous = context.challenger.current()?.version ?? null;
    context.challenger.set(null);
    return jsonAnswer({ version: null, previousVersion: previous });
  },
};

async function storeRefusal(context: PluginContext): Promise<JsonAnswer | null> {
  try {
    requireChallengerLog(await context.backingStore());
    return null;
  } catch (error) {
    return storeFailure(context, 'store unavailable', error);
  }
}

/**
 * 409 when the store keeps no log the route needs (the operator's choice of store, fixed by
 * choosing another), 503 when the store failed (a connection, a closed store: worth a retry).
 */
function storeFailure(context: PluginContext, summary: string, error: unknown): JsonAnswer {
  if (error instanceof ChurnkitError && (error.code === 'STORE_NO_CHALLENGER_LOG' || error.code === 'STORE_NO_EVENT_LOG')) return errorAnswer(409, error.code, error.message);
  reportError(context.onError, error, { code: 'STORE_ERROR', customerId: null });
  return errorAnswer(503, 'STORE_ERROR', publicMessage(summary, error));
}
