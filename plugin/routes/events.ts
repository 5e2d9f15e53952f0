/**
 * `POST /events`: customer events that update the customers' online features. A 2xx is
 * sent only after the store reports the events durable. Every event's time must pass the
 * event-time policy, or the whole request is refused (400 naming `events.<i>.ts`) and
 * nothing of it is stored.
 */
import type { ChurnEvent } from '../../src/events/types.js';
import { checkEventTime } from '../validation/event-time.js';
import { inputErrorAnswer, inputErrorFromZod, jsonAnswer } from '../validation/http-error.js';
import { storeFailed, type Route } from './route.js';

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
      events.forEach((event, index) => checkEventTime(event.ts, `events.${index}.ts`, context.eventTimes, receivedAt));
    } catch (error) {
      return inputErrorAnswer(error);
    }
    try {
      await context.store.appendEvents(events);
    } catch (error) {
      return storeFailed(context, 'events were not stored', error);
    }
    return jsonAnswer({ accepted: events.length }, 201);
  },
};

/** Drops absent optional fields so the stored event JSON carries only what was sent. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
