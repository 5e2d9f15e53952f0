/**
 * What `POST /churn/events` makes of a body: the issue that names a bad id (one zod check per
 * id, whose rules run in a fixed order), and the events it hands the store (zod's output,
 * given the time received when none was sent, carrying nothing that was not sent).
 */
import fc from 'fast-check';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CUSTOMER_ID_NOT_TEXT, isUnicodeText } from '../../plugin/customer-id.js';
import { EXPECTED_AMOUNT, isUsableAmount } from '../../src/events/event-amount.js';
import { parseTimestamp } from '../../src/events/parse-event-fields.js';
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

/** The events body as each field's own zod checks say it: what the route must answer alike. */
function referenceSchema() {
  const amount = z.number().refine(isUsableAmount, EXPECTED_AMOUNT);
  const timestamp = z.union([z.number(), z.string()]).transform((raw, context) => {
    const ms = parseTimestamp(raw);
    if (ms === undefined) context.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date/time' });
    return ms ?? z.NEVER;
  });
  const event = z.strictObject({
    customerId: z.string().trim().min(1, 'expected a non-empty customer id').max(200, 'expected at most 200 characters').refine(isUnicodeText, CUSTOMER_ID_NOT_TEXT),
    id: z.string().min(1, 'expected a non-empty event id').max(200, 'expected at most 200 characters').optional(),
    ts: timestamp.optional(),
    type: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'expected an event type such as "order" or "page_view" (lower-case, digits, "_")'),
    value: amount.optional(),
    quantity: amount.optional(),
    category: z.string().max(200).optional(),
    rating: z.number().min(0).max(10).optional(),
    channel: z.string().max(40).optional(),
  });
  return z.strictObject({ events: z.array(event).min(1, 'expected at least one item').max(10, 'expected at most 10 items') });
}

/** What a route answers of a parse: the first issue, or the parsed body. */
function answerOf(parsed: { success: true; data: unknown } | { success: false; error: z.ZodError }): string {
  if (parsed.success) return `accepted ${JSON.stringify(parsed.data)}`;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

describe('the events schema', () => {
  it('answers any body as the fields\' own checks would (first issue, or the events key for key)', () => {
    const reference = referenceSchema();
    const events = bodySchemas(10).events;
    const text = fc.constantFrom('', ' ', ' c1 ', 'c1', 'x'.repeat(200), 'x'.repeat(201), ` ${'y'.repeat(200)} `, 'a\ud800', 'order', 'page_view', 'Order!', 'a'.repeat(41), 'web', '2024-01-01T00:00:00Z', 'yesterday');
    const cell = fc.oneof(text, fc.constantFrom(0, 1, -1, 5.5, 1e12, 1e13, -1e13, 11, -0.5, 1.7e12, null, true, [], {}));
    const field = fc.constantFrom('customerId', 'id', 'ts', 'type', 'value', 'quantity', 'category', 'rating', 'channel', 'colour');
    const event = fc.oneof({ weight: 1, arbitrary: cell }, { weight: 20, arbitrary: fc.dictionary(field, cell, { maxKeys: 6 }) });
    const body = fc.oneof({ weight: 1, arbitrary: cell }, { weight: 20, arbitrary: fc.record({ events: fc.array(event, { maxLength: 3 }) }) });
    fc.assert(
      fc.property(body, (sent) => {
        expect(answerOf(events.safeParse(structuredClone(sent)))).toBe(answerOf(reference.safeParse(structuredClone(sent))));
      }),
      { numRuns: 5_000 },
    );
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
