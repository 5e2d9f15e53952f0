/**
 * `POST /events`: customer events that update the customers' online features. A 2xx is
 * sent only after the store reports the events durable.
 */
import type { ChurnEvent } from '../../src/events/types.js';
import { messageOf } from '../assess.js';
import { errorAnswer, inputErrorAnswer, inputErrorFromZod, jsonAnswer } from '../validation/http-error.js';
import type { Route } from './route.js';

export const eventsRoute: Route = {
  method: 'POST',
  path: '/events',
  body: 'json',
  async handle(context, body) {
    const parsed = context.schemas.events.safeParse(body);
    if (!parsed.success) return inputErrorAnswer(inputErrorFromZod(parsed.error));
    const receivedAt = context.clock();
    const events: ChurnEvent[] = parsed.data.events.map((event) => {
      const { ts, ...rest } = event;
      return { ...withoutUndefined(rest), ts: ts ?? receivedAt };
    });
    try {
      await context.store.appendEvents(events);
    } catch (error) {
      return errorAnswer(503, 'STORE_ERROR', `events were not stored: ${messageOf(error)}`);
    }
    return jsonAnswer({ accepted: events.length }, 201);
  },
};

/** Drops absent optional fields so the stored event JSON carries only what was sent. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
