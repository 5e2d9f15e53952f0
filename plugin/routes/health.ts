/**
 * `GET /healthz`: 200 while a model is serving, with the engine that runs it (`wasm-simd`,
 * `wasm-scalar`, or the `js` fallback when asked for) and how much of the model's input live
 * traffic supplies (input-coverage.ts), and the store's failures (store-health.ts: they
 * leave the status ok, since pages still serve); 503 when no model could be loaded.
 */
import { DEFAULT_MAX_MISSING_SHARE, isStoreFeature, percent } from '../model-fit.js';
import { jsonAnswer } from '../validation/http-error.js';
import { withModel, type Route } from './route.js';

/** Fresh assessments counted before a low supplied share is worth a warning. */
const WARN_AFTER = 100;

export const healthRoute: Route = {
  method: 'GET',
  path: '/healthz',
  handle: (context) =>
    withModel(context, (model) => {
      const coverage = context.inputCoverage.report(model);
      // Measured supply includes request fields, so it is checked even where the static check is off.
      const expected = 1 - (context.modelFit?.maxMissingShare ?? DEFAULT_MAX_MISSING_SHARE);
      const inputs = {
        count: model.features.length,
        fromStore: model.features.filter((feature) => isStoreFeature(feature.name)).length,
        ...coverage,
        ...(coverage.scored >= WARN_AFTER && coverage.suppliedShare !== null && coverage.suppliedShare < expected
          ? { warning: `live traffic supplies ${percent(coverage.suppliedShare)} of the model's inputs; at least ${percent(expected)} are expected (1 - modelFit.maxMissingShare): see leastSupplied` }
          : {}),
      };
      return jsonAnswer({ status: 'ok', modelVersion: model.version, engine: model.engine, inputs, store: context.storeHealth.report() });
    }),
};
