/** Capturing the serving model at the start of a route, so the whole response uses one version. */
import type { Response } from 'express';
import type { PluginContext } from '../context.js';
import type { ServingModel } from '../serving-model.js';
import { sendError } from '../validation/http-error.js';

/** The model for this request, or null after answering 503 when none could be loaded. */
export async function captureModel(context: PluginContext, res: Response): Promise<ServingModel | null> {
  try {
    return await context.slot.current();
  } catch (error) {
    sendError(res, 503, 'MODEL_UNAVAILABLE', `no model is serving: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}
