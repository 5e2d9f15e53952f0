/**
 * churnkit/fetch: the plugin's scoring API as a web-standard `Request → Response` handler,
 * for Cloudflare Workers, Deno, Bun, and any framework that speaks fetch. The same
 * assessment, policy and routes as the Express plugin (one implementation), with the routes
 * that make sense at the edge: `POST /score`, `POST /score/batch`, `POST /events`,
 * `GET /healthz`, `GET /model` and `GET /drift`. Runtime-neutral: no Node built-ins, no code generated at
 * run time.
 */
import type { ChurnAssessment } from '../assess.js';
import { assessRequest } from '../assess-request.js';
import type { RawRecord, ServingModel } from '../serving-model.js';
import { createEdgeServing, type EdgeServingOptions } from './edge-serving.js';
import { routeRequest } from './route-requests.js';

export type { ChurnAssessment, ChurnScore, ChurnUnavailable } from '../assess.js';
export type { ChosenAction } from '../policy/decide.js';
export type { ActionOptions, EngineOption } from '../options.js';
export type { Band } from '../scoring.js';
export type { ServingModel } from '../serving-model.js';
export type { ChurnStore } from '../store/types.js';
export { memoryStore } from '../store/memory-store.js';

/** Options of `churnHandler()`: `model` and `store` are required; `identify` serves `handler.assess(request)`. */
export type ChurnHandlerOptions = EdgeServingOptions<Request>;

/** The handler returned by `churnHandler()`. */
export interface ChurnHandler {
  /** Answers a request to the API under `basePath`; 404 (JSON) for any other path. */
  fetch(request: Request): Promise<Response>;
  /** The churn assessment of the request's customer (`identify`, `features`): for rendering a page. Never rejects. */
  assess(request: Request): Promise<ChurnAssessment>;
  /** Resolves once the model is loaded; rejects with why not (a bad file, a kernel that cannot load). */
  ready(): Promise<void>;
  /** The model serving right now. */
  model(): Promise<ServingModel>;
  /** Scores a customer outside a request: the same path as the routes. */
  score(customerId: string | null, record?: RawRecord): Promise<ChurnAssessment>;
}

/**
 * Creates the handler. Throws `OptionsError` for invalid options.
 *
 * @example
 * import { churnHandler, memoryStore } from 'churnkit/fetch';
 * import kernel from 'churnkit/wasm/simd'; // a WebAssembly.Module in Workers
 * import model from './churn-model.json';
 *
 * const churn = churnHandler({ model, engine: { module: kernel }, store: memoryStore() });
 * export default { fetch: (request: Request) => churn.fetch(request) };
 */
export function churnHandler(options: ChurnHandlerOptions): ChurnHandler {
  const { serving, hooks, routes } = createEdgeServing<Request>(options, 'churnHandler()', false);
  return {
    fetch: (request) => routeRequest(serving.context, request, routes),
    assess: async (request) => assessRequest(serving.context, hooks, request),
    ready: serving.ready,
    model: serving.model,
    score: serving.assess,
  };
}
