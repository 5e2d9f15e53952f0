/**
 * The serving core as the web-standard adapters (fetch handler, Hono middleware) set it up:
 * no file system (the model is the parsed file object, the kernel is handed over as a
 * `WebAssembly.Module` or bytes), no default store (state at the edge is a choice: memory,
 * Workers KV or a Durable Object), metrics counted nowhere.
 */
import { loadEngine } from '../../src/engine/load-engine.js';
import { uncountedMetrics } from '../metrics.js';
import { bytesOf, parseOptions, resolveServingOptions, servingOptionFields, type ServingOptions } from '../options.js';
import type { ServingModel } from '../serving-model.js';
import { createServing, type Serving } from '../serving.js';
import type { ChurnStore } from '../store/types.js';
import { z } from '../validation/zod.js';
import type { RouteSettings } from './route-requests.js';
import type { RequestHooks } from '../assess-request.js';

/** Options of the web-standard adapters; `Req` is what `identify` and `features` receive. */
export interface EdgeServingOptions<Req> extends Omit<ServingOptions<Req>, 'identify'> {
  /** The customer behind a request, for per-request assessments; default anonymous. */
  identify?: ServingOptions<Req>['identify'];
  /** A loaded model or the parsed model file (`import model from './model.json'`); no paths here. */
  model: ServingModel | object;
  /**
   * Where customer state, decisions and outcomes live: `memoryStore()` (this isolate only),
   * `kvStore(env.KV)` or `durableObjectStore(env.STATE)` (churnkit/stores/cloudflare).
   */
  store: ChurnStore;
  /**
   * The kernel: `{ module }` (a Worker's imported `.wasm`), `{ bytes }`, or a loaded
   * `Engine`. Without one, a model file fails to load unless `{ fallback: 'js' }`.
   */
  engine?: ServingOptions<Req>['engine'];
  /** Where the HTTP API answers, e.g. `/churn/score`. Default `/churn`; `''` for the root. */
  basePath?: string;
}

/** A running edge adapter's core: the serving core, the request hooks and the routes' settings. */
export interface EdgeServing<Req> {
  serving: Serving;
  hooks: RequestHooks<Req>;
  routes: RouteSettings;
}

const edgeSchema = (identifyRequired: boolean) =>
  z.strictObject({
    ...servingOptionFields,
    model: z.custom<Record<string, unknown>>(
      (value) => typeof value === 'object' && value !== null,
      'expected the parsed model file or a loaded model (a path needs a file system: import model from "./model.json")',
    ),
    store: servingOptionFields.store.unwrap(),
    identify: identifyRequired ? servingOptionFields.identify : servingOptionFields.identify.optional(),
    basePath: z.string().regex(/^(\/[^/?#]+)*$/, 'expected "" or a path such as "/churn" (no trailing slash)').default('/churn'),
  });

/**
 * Validates the options (an `OptionsError` naming the option) and starts loading the model.
 *
 * @example
 * const edge = createEdgeServing(options, 'churnHandler()', false);
 * await edge.serving.ready();
 */
export function createEdgeServing<Req>(options: EdgeServingOptions<Req>, factory: string, identifyRequired: boolean): EdgeServing<Req> {
  const value = parseOptions(edgeSchema(identifyRequired), options, factory);
  const identify = options.identify ?? anonymous;
  const resolved = resolveServingOptions({ ...value, identify }, { ...options, identify }, factory);
  return {
    serving: createServing({ options: resolved, metrics: uncountedMetrics, loadEngine }),
    hooks: { identify, features: resolved.features },
    routes: { basePath: value.basePath, bodyLimitBytes: bytesOf(value.bodyLimit) },
  };
}

function anonymous(): null {
  return null;
}
