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
import type { PluginContext } from '../context.js';
import { publicMessage, reportError } from '../error-report.js';
import type { ServingModel } from '../serving-model.js';
import { errorAnswer, jsonAnswer, type JsonAnswer } from '../validation/http-error.js';
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

/**
 * Loads a request's model file on the plugin's engine, or the answer refusing it: 400 for a
 * bad file (naming why), 503 when the kernel fails (the server's problem,
 * not the file's). Shared by `PUT /model` and `PUT /challenger`.
 *
 * @example
 * const model = await loadModelBody(context, body);
 * if ('status' in model) return model;
 */
export async function loadModelBody(context: PluginContext, body: unknown): Promise<ServingModel | JsonAnswer> {
  try {
    return await context.loadModel(body);
  } catch (error) {
    if (error instanceof EngineError) return errorAnswer(503, error.code, error.message);
    if (error instanceof ChurnkitError) return errorAnswer(400, error.code, error.message);
    // Anything else escaped the loader's checks on a file the caller sent: still the file's
    // fault for the caller (never a 500 for a bad body), and a bug for the operator to see.
    reportError(context.onError, error, { code: 'MODEL_INVALID', customerId: null });
    return errorAnswer(400, 'MODEL_INVALID', 'the body is not a model file churnkit can load');
  }
}

export const replaceModelRoute: Route = {
  method: 'PUT',
  path: '/model',
  body: 'model',
  admin: true,
  handle: replaceServingModel,
};

/**
 * What `PUT /model` does with a model file, for the route and for the plugin's own scheduled
 * retraining alike: load and check it, keep it where swapped models are kept, swap it in.
 * 200 `{ version, previousVersion }`, or the answer refusing it (the old model keeps serving).
 *
 * @example
 * const answer = await replaceServingModel(context, modelFile);
 * if (answer.status !== 200) console.error(answer.body);
 */
export async function replaceServingModel(context: PluginContext, body: unknown): Promise<JsonAnswer> {
  return (await replaceServingModelIf(context, body, () => true))!;
}

/**
 * `replaceServingModel`, made only if `stillWanted` says yes of the version serving when the
 * swap's turn comes, else null (nothing saved or swapped). A retrain's challenger was compared
 * with one champion: a model swapped in meanwhile, even while the challenger was being loaded,
 * was never compared with it, and the check and the swap must be one step for that to hold.
 *
 * @example
 * const answer = await replaceServingModelIf(context, challengerFile, (serving) => serving === championVersion);
 * if (answer === null) console.error('another model serves now');
 */
export async function replaceServingModelIf(context: PluginContext, body: unknown, stillWanted: (servingVersion: string | null) => boolean): Promise<JsonAnswer | null> {
  const model = await loadModelBody(context, body);
  if ('status' in model) return model;
  // Saving and swapping take turns: two swaps at once could otherwise write the file in one
  // order and serve in the other, and a restart would serve a model other than the one served.
  return inTurn(context, async () => {
    const previous = await Promise.resolve(context.slot.current()).then(
      (serving) => serving.version,
      () => null,
    );
    if (!stillWanted(previous)) return null;
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
  });
}

/** Per plugin, the end of the last save-and-swap begun: the next one starts after it. */
const lastSwap = new WeakMap<PluginContext, Promise<unknown>>();

function inTurn<T>(context: PluginContext, work: () => Promise<T>): Promise<T> {
  const turn = (lastSwap.get(context) ?? Promise.resolve()).then(work);
  lastSwap.set(context, turn.catch(() => undefined));
  return turn;
}
