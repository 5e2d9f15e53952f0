/**
 * `GET /model` describes the serving model; `PUT /model` (admin) replaces it. The new
 * file is parsed, checksum-verified and loaded before the one-assignment swap, so a bad
 * file is refused with 400 and the old model never stops serving; requests already in
 * flight finish on the model they captured.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import { ChurnkitError } from '../../src/errors.js';
import type { PluginContext } from '../context.js';
import { loadServingModel } from '../load-model.js';
import { sendError } from '../validation/http-error.js';
import { captureModel } from './capture-model.js';

/** Mounts `GET /model` and the admin-only `PUT /model` on the plugin router. */
export function mountModelRoutes(router: Router, context: PluginContext, adminOnly: RequestHandler, modelBody: RequestHandler[]): void {
  router.get('/model', async (_req: Request, res: Response) => {
    const model = await captureModel(context, res);
    if (model === null) return;
    res.json({
      version: model.version,
      features: model.features.map((feature) => ({ name: feature.name, type: feature.type })),
      metrics: model.metadata.metrics,
      threshold: model.threshold,
    });
  });

  router.put('/model', adminOnly, ...modelBody, async (req: Request, res: Response) => {
    if (req.body === undefined) {
      return sendError(res, 400, 'INVALID_BODY', 'expected a JSON model file (Content-Type: application/json)');
    }
    const previous = await Promise.resolve(context.slot.current()).then(
      (model) => model.version,
      () => null,
    );
    let model;
    try {
      model = await loadServingModel(req.body, context.engine);
    } catch (error) {
      if (error instanceof ChurnkitError) return sendError(res, 400, error.code, error.message);
      throw error;
    }
    context.slot.swap(model);
    res.json({ version: model.version, previousVersion: previous });
  });
}
