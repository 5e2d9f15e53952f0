/**
 * A route of the plugin's HTTP API, written once for every adapter: it receives the parsed
 * JSON body (the adapter has already applied the size limit, the JSON parse and the
 * unsafe-key check) and answers a status and a JSON body. Express mounts it on a Router;
 * the fetch handler (and through it Hono) matches it against the `Request`.
 */
import { ChurnkitError } from '../../src/errors.js';
import type { PluginContext } from '../context.js';
import { publicMessage, reportError } from '../error-report.js';
import type { ServingModel } from '../serving-model.js';
import { errorAnswer, type JsonAnswer } from '../validation/http-error.js';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to where the API is mounted, e.g. `/score/batch`. */
  path: string;
  /**
   * The JSON body the route reads (`model`: under the larger model-file limit); none when
   * absent. A route with a body is sent only `application/json` (UTF-8, uncompressed): the
   * adapters answer anything else with 415 before the route runs.
   */
  body?: 'json' | 'model';
  /** Needs `Authorization: Bearer <admin token>`, checked before the body is read. */
  admin?: boolean;
  /** `body` is the parsed JSON (an empty or missing body never reaches the route); undefined for a route without a body. */
  handle(context: PluginContext, body: unknown): Promise<JsonAnswer>;
}

/**
 * Captures the serving model at the start of a route, so the whole answer uses one version;
 * 503 `MODEL_UNAVAILABLE` when none could be loaded.
 *
 * @example
 * return withModel(context, (model) => jsonAnswer({ version: model.version }));
 */
export async function withModel(context: PluginContext, use: (model: ServingModel) => JsonAnswer | Promise<JsonAnswer>): Promise<JsonAnswer> {
  let model: ServingModel;
  try {
    model = await context.slot.current();
  } catch (error) {
    return errorAnswer(503, 'MODEL_UNAVAILABLE', publicMessage('no model is serving', error));
  }
  return use(model);
}

/**
 * The 503 of a route whose store call failed: the caller learns what was not done, the
 * operator's `onError` gets the error (error-report.ts). A write names itself with
 * `{ notDone, mayBeDone }`: when the connection broke before the store answered
 * (`STORE_CONNECTION_LOST`), the write may have been carried out, and the answer says so.
 *
 * @example
 * try { await context.store.appendEvents(events); } catch (error) { return storeFailed(context, { notDone: 'events were not stored', mayBeDone: 'the events may have been stored' }, error); }
 */
export function storeFailed(context: PluginContext, summary: string | { notDone: string; mayBeDone: string }, error: unknown, customerId: string | null = null): JsonAnswer {
  reportError(context.onError, error, { code: 'STORE_ERROR', customerId });
  context.storeHealth.noteFailure(error, 'STORE_ERROR', context.clock());
  const said = typeof summary === 'string' ? summary : error instanceof ChurnkitError && error.code === 'STORE_CONNECTION_LOST' ? summary.mayBeDone : summary.notDone;
  return errorAnswer(503, 'STORE_ERROR', publicMessage(said, error));
}
