/** `GET /metrics`: the plugin's metrics in the Prometheus text format. */
import type { Request, Response, Router } from 'express';
import type { PluginContext } from '../context.js';

/** Mounts `GET /metrics` on the plugin router. */
export function mountMetricsRoute(router: Router, context: PluginContext): void {
  router.get('/metrics', async (_req: Request, res: Response) => {
    const registry = context.metrics.registry;
    res.type(registry.contentType).send(await registry.metrics());
  });
}
