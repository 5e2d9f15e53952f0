/**
 * A route of the plugin's HTTP API, written once for every adapter: it receives the parsed
 * JSON body (the adapter has already applied the size limit, the JSON parse and the
 * unsafe-key check) and answers a status and a JSON body. Express mounts it on a Router;
 * the fetch handler (and through it Hono) matches it against the `Request`.
 */
import { messageOf } from '../assess.js';
import type { PluginContext } from '../context.js';
import type { ServingModel } from '../serving-model.js';
import { errorAnswer, type JsonAnswer } from '../validation/http-error.js';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to where the API is mounted, e.g. `/score/batch`. */
  path: string;
  /** The JSON body the route reads (`model`: under the larger model-file limit); none when absent. */
  body?: 'json' | 'model';
  /** Needs `Authorization: Bearer <admin token>`, checked before the body is read. */
  admin?: boolean;
  /** `body` is undefined when the request had none (or not as `application/json`). */
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
    return errorAnswer(503, 'MODEL_UNAVAILABLE', `no model is serving: ${messageOf(error)}`);
  }
  return use(model);
}
