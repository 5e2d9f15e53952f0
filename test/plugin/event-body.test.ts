/**
 * What `POST /churn/events` makes of a body: the issue that names a bad id (one zod check per
 * id, whose rules run in a fixed order), and the events it hands the store (zod's output,
 * given the time received when none was sent, carrying nothing that was not sent).
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../plugin/store/memory-store.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { bodySchemas } from '../../plugin/validation/bodies.js';
import { DAY, NOW, testStorefront, type TestStorefront } from './plugin-app.js';

let shop: TestStorefront | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

/** The first issue's field and message, as the routes answer them. */
function firstIssue(body: unknown): string {
  const parsed = bodySchemas(10).events.safeParse(body);
  if (parsed.success) return 'accepted';
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

describe('ids in an events body', () => {
  it.each([
    ['   ', 'events.0.customerId: expected a non-empty customer id'],
    [' '.repeat(300), 'events.0.customerId: expected a non-empty customer id'],
    ['c'.repeat(201), 'events.0.customerId: expected at most 200 characters'],
    [`${'c'.repeat(200)}\ud800`, 'events.0.customerId: expected at most 200 characters'],
    [' c\ud800 ', 'events.0.customerId: expected Unicode text: the id holds half of a UTF-16 surrogate pair (a lone \\ud800-\\udfff escape), which no store can keep apart from other ids'],
    [` ${'c'.repeat(200)} `, 'accepted'],
  ])('customer id %j → %s', (customerId, expected) => {
    expect(firstIssue({ events: [{ customerId, type: 'order' }] })).toBe(expected);
  });

  it.each([
    ['', 'events.1.id: expected a non-empty event id'],
    ['e'.repeat(201), 'events.1.id: expected at most 200 characters'],
    ['e'.repeat(200), 'accepted'],
  ])('event id %j → %s', (id, expected) => {
    expect(firstIssue({ events: [{ customerId: 'c', type: 'order' }, { customerId: 'c', id, type: 'order' }] })).toBe(expected);
  });

  it('names the customer id before the event id of the same event', () => {
    expect(firstIssue({ events: [{ customerId: '', id: '', type: 'order' }] })).toBe('events.0.customerId: expected a non-empty customer id');
  });
});

describe('an event with several problems names the first field that has one', () => {
  it.each([
    [{ customerId: '', type: 5 }, 'events.0.customerId: expected a non-empty customer id'],
    [{ customerId: 5, type: 'Order!' }, 'events.0.customerId: Invalid input: expected string, received number'],
    [{ customerId: 'c', id: 7, type: 'Order!' }, 'events.0.id: Invalid input: expected string, received number'],
    [{ customerId: 'c', type: 'Order!', colour: 'red' }, 'events.0.type: expected an event type such as "order" or "page_view" (lower-case, digits, "_")'],
    [{ customerId: 'c', type: 'order', colour: 'red' }, 'events.0: Unrecognized key: "colour"'],
    [{ customerId: 'c', type: 'order', value: 1e13, category: 'c'.repeat(201) }, 'events.0.value: expected a number within ±1e+12'],
    [{ customerId: 'c', type: 'order', quantity: 1e13, ts: 'yesterday' }, 'events.0.ts: expected epoch milliseconds or an ISO 8601 date/time'],
  ])('%j → %s', (event, expected) => {
    expect(firstIssue({ events: [event] })).toBe(expected);
  });
});

describe('the events handed to the store', () => {
  it('are the fields sent, the customer id trimmed, with the time received where no time was sent', async () => {
    const store = memoryStore();
    const appended: ChurnEvent[][] = [];
    const append = store.appendEvents.bind(store);
    store.appendEvents = async (events) => {
      appended.push([...events]);
      return append(events);
    };
    shop = await testStorefront({ store, holdoutFraction: 0 });
    const events = [
      { customerId: ' c1 ', type: 'order', value: 5, quantity: 2 },
      { customerId: 'c2', id: 'e-1', ts: new Date(NOW - DAY).toISOString(), type: 'page_view', category: 'shoes', channel: 'web' },
    ];
    await request(shop.app).post('/churn/events').send({ events }).expect(201, { accepted: 2 });
    // toStrictEqual: a key holding undefined (an optional field not sent) would fail it.
    expect(appended).toStrictEqual([
      [
        { customerId: 'c1', type: 'order', value: 5, quantity: 2, ts: NOW },
        { customerId: 'c2', id: 'e-1', ts: NOW - DAY, type: 'page_view', category: 'shoes', channel: 'web' },
      ],
    ]);
  });
});
