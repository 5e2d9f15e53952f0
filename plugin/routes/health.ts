/**
 * `GET /healthz`: 200 while a model is serving, with the engine that runs it (`wasm-simd`,
 * `wasm-scalar`, or the `js` fallback when asked for); 503 when no model could be loaded.
 */
import { jsonAnswer } from '../validation/http-error.js';
import { withModel, type Route } from './route.js';

export const healthRoute: Route = {
  method: 'GET',
  path: '/healthz',
  handle: (context) => withModel(context, (model) => jsonAnswer({ status: 'ok', modelVersion: model.version, engine: model.engine })),
};
