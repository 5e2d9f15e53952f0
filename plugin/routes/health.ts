/** `GET /healthz`: 200 while a model is serving, 503 when none could be loaded. */
import type { Request, Response, Router } from 'express';
import type { PluginContext } from '../context.js';
import { captureModel } from './capture-model.js';

/** Mounts `GET /healthz` on the plugin router. */
export function mountHealthRoute(router: Router, context: PluginContext): void {
  router.get('/healthz', async (_req: Request, res: Response) => {
    const model = await captureModel(context, res);
    if (model === null) return;
    res.json({ status: 'ok', modelVersion: model.version });
  });
}
