/**
 * `POST /events`: customer events that update the customers' online features. A 2xx is
 * sent only after the store reports the events durable.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { ChurnEvent } from '../../src/events/types.js';
import type { PluginContext } from '../context.js';
import { inputErrorFromZod, sendError, sendInputError } from '../validation/http-error.js';

/** Mounts `POST /events` on the plugin router. */
export function mountEventRoutes(router: Router, context: PluginContext, jsonBody: RequestHandler[]): void {
  router.post('/events', ...jsonBody, async (req: Request, res: Response) => {
    const parsed = context.schemas.events.safeParse(req.body);
    if (!parsed.success) return sendInputError(res, inputErrorFromZod(parsed.error));
    const receivedAt = context.clock();
    const events: ChurnEvent[] = parsed.data.events.map((event) => {
      const { ts, ...rest } = event;
      return { ...withoutUndefined(rest), ts: ts ?? receivedAt };
    });
    try {
      await context.store.appendEvents(events);
    } catch (error) {
      return sendError(res, 503, 'STORE_ERROR', `events were not stored: ${error instanceof Error ? error.message : String(error)}`);
    }
    res.status(201).json({ accepted: events.length });
  });
}

/** Drops absent optional fields so the stored event JSON carries only what was sent. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
