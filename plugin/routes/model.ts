/**
 * `GET /model` describes the serving model; `PUT /model` (admin) replaces it. The new
 * file is parsed, checksum-verified, loaded and checked against the store (model-fit.ts)
 * before the one-assignment swap, so a bad file, or one that does not fit, is refused with
 * 400 and the old model never stops serving; requests already in flight finish on the
 * model they captured. Where swapped models are kept (`saveSwappedModel`), the file is
 * written durably, in one step, before the swap: a restart serves the old model or the new
 * one, never a mix.
 */
import { ChurnkitError, EngineError, excerpt } from '../../src/errors.js';
import { publicMessage, reportError } from '../error-report.js';
import { errorAnswer, jsonAnswer } from '../validation/http-error.js';
import { withModel, type Route } from './route.js';

export const describeModelRoute: Route = {
  method: 'GET',
  path: '/model',
  handle: (context) =>
    withModel(context, (model) =>
      jsonAnswer({
        version: model.version,
        engine: model.engine,
        features: model.features.map((feature) => ({ name: feature.name, type: feature.type })),
        metrics: model.metadata.metrics,
        threshold: model.threshold,
      }),
    ),
};

export const replaceModelRoute: Route = {
  method: 'PUT',
  path: '/model',
  body: 'model',
  admin: true,
  async handle(context, body) {
    const previous = await Promise.resolve(context.slot.current()).then(
      (model) => model.version,
      () => null,
    );
    let model;
    try {
      model = await context.loadModel(body);
    } catch (error) {
      // The kernel failing is the server's problem, not the file's.
      if (error instanceof EngineError) return errorAnswer(503, error.code, error.message);
      if (error instanceof ChurnkitError) return errorAnswer(400, error.code, error.message);
      // Anything else escaped the loader's checks on a file the caller sent: still the file's
      // fault for the caller (never a 500 for a bad body), and a bug for the operator to see.
      reportError(context.onError, error, { code: 'MODEL_INVALID', customerId: null });
      return errorAnswer(400, 'MODEL_INVALID', 'the body is not a model file churnkit can load');
    }
    if (context.saveModel !== undefined) {
      try {
        await context.saveModel(body);
      } catch (error) {
        reportError(context.onError, error, { code: 'MODEL_NOT_SAVED', customerId: null });
        return errorAnswer(503, 'MODEL_NOT_SAVED', publicMessage(`model ${excerpt(model.version)} was not saved, so it does not serve; the old model keeps serving`, error));
      }
    }
    context.slot.swap(model);
    return jsonAnswer({ version: model.version, previousVersion: previous });
  },
};
