/**
 * Issue 11, defect 1: an event time beyond the clock-skew allowance or before the floor is
 * refused at `POST /churn/events`, naming the field and saying why, and nothing of its request
 * is stored. The attack: one unauthenticated far-future event moved a loyal customer's score
 * (0.05 → 0.94 in the issue; 0.12 → 0.31 with the shipped model and today's count-bounded
 * state). On both adapters (one route implementation).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { churn } from '../../plugin/express/index.js';
import { churnHandler } from '../../plugin/fetch/index.js';
import { memoryStore } from '../../plugin/store/memory-store.js';
import type { ChurnStore } from '../../plugin/store/types.js';
import { OptionsError } from '../../src/errors.js';
import { bothAdapters, type Adapter, type BothAdapters } from './adapters.js';
import { REPO } from './edge/example-project.js';
import { DAY, NOW } from './plugin-app.js';

const storefrontModel = JSON.parse(readFileSync(join(REPO, 'models', 'storefront.json'), 'utf8')) as object;
const MINUTE = 60_000;

/** A year of orders every nine days: a loyal customer, scored low. */
function loyalHistory(customerId: string) {
  const events = [];
  for (let daysAgo = 360; daysAgo >= 2; daysAgo -= 9) {
    const ts = NOW - daysAgo * DAY;
    events.push({ customerId, type: 'session_start', ts }, { customerId, type: 'page_view', ts: ts + 1000 }, { customerId, type: 'order', value: 80, ts: ts + MINUTE });
  }
  return events;
}

const stores = new Map<string, ChurnStore>();
let adapters: BothAdapters;
beforeAll(async () => {
  adapters = await bothAdapters(
    { model: storefrontModel, engine: { fallback: 'js' }, clock: () => NOW, cacheTtlMs: 0 },
    {
      storeFor: (name) => {
        const store = memoryStore();
        stores.set(name, store);
        return store;
      },
    },
  );
});

const post = (adapter: Adapter, path: string, body: unknown) => adapter.send({ method: 'POST', path: `/churn${path}`, body });
const probability = async (adapter: Adapter, customerId: string) => ((await post(adapter, '/score', { customerId })).body as { probability: number }).probability;

describe.each(['Express', 'fetch'] as const)('POST /churn/events through %s', (name) => {
  const adapter = () => adapters.all.find((candidate) => candidate.name === name)!;

  it('refuses the far-future events that moved a loyal customer, naming the field, and leaves the score bit-identical', async () => {
    const seeded = await post(adapter(), "/events", { events: loyalHistory("loyal") });
    expect(seeded.body).toEqual({ accepted: 120 });
    const before = await probability(adapter(), 'loyal');
    expect(before).toBeLessThan(0.2);
    const attacks: [type: string, ts: number, why: RegExp][] = [
      ['order', 1e20, /after .*the latest accepted time \(now plus 5 minutes of clock skew\)/],
      ['order', (NOW + 3 * MINUTE) * 1000, /looks like microseconds since the epoch: divide by 1,000/],
      ['refund', Date.parse('2027-11-23T12:00:00Z'), /cannot come from the future/],
      ['order', 0, /before 1990-01-01T00:00:00.000Z, the earliest accepted time/],
    ];
    for (const [type, ts, why] of attacks) {
      const answer = await post(adapter(), '/events', { events: [{ customerId: 'loyal', type, ts }] });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: { code: 'EVENT_TIME_OUT_OF_RANGE', field: 'events.0.ts', message: expect.stringMatching(why) } });
      expect((answer.body as { error: { message: string } }).error.message).toMatch(/^field "events\.0\.ts": /);
      expect(Object.is(await probability(adapter(), 'loyal'), before)).toBe(true);
    }
    // What the route now stops: the same event written straight to the store moves the score.
    await stores.get(name)!.appendEvents([{ customerId: 'loyal', type: 'order', ts: 1e20 }]);
    expect(await probability(adapter(), 'loyal')).toBeGreaterThan(before + 0.1);
  });

  it('stores nothing of a batch with one refused time, and names the event', async () => {
    const events = loyalHistory('batch').slice(0, 5);
    events[3] = { ...events[3]!, ts: Math.floor(NOW / 1000) };
    const answer = await post(adapter(), '/events', { events });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'EVENT_TIME_OUT_OF_RANGE', field: 'events.3.ts', message: expect.stringMatching(/seconds since the epoch: multiply by 1,000/) } });
    expect(await stores.get(name)!.getCustomerState('batch')).toBeNull();
  });

  it('accepts an event within the clock-skew allowance and refuses one just past it', async () => {
    const within = await post(adapter(), '/events', { events: [{ customerId: 'skew', type: 'page_view', ts: NOW + 5 * MINUTE }] });
    expect(within.status).toBe(201);
    const past = await post(adapter(), '/events', { events: [{ customerId: 'skew', type: 'page_view', ts: new Date(NOW + 5 * MINUTE + 1).toISOString() }] });
    expect(past.status).toBe(400);
    expect((await stores.get(name)!.getCustomerState('skew'))?.eventsTotal).toBe(1);
  });
});

describe('the eventTimes option', () => {
  it('moves the bounds: no clock skew, a floor in 1980', async () => {
    const { all } = await bothAdapters({ model: storefrontModel, engine: { fallback: 'js' }, clock: () => NOW, eventTimes: { futureSkewMs: 0, earliestMs: Date.UTC(1980, 0, 1) } });
    for (const adapter of all) {
      expect((await post(adapter, '/events', { events: [{ customerId: 'old', type: 'order', ts: '1985-06-01T00:00:00Z' }] })).status).toBe(201);
      const ahead = await post(adapter, '/events', { events: [{ customerId: 'old', type: 'order', ts: NOW + 1 }] });
      expect(ahead.body).toMatchObject({ error: { field: 'events.0.ts', message: expect.stringMatching(/now plus 0 minutes of clock skew/) } });
    }
  });

  it.each([
    [{ futureSkewMs: -1 }, /"eventTimes".*futureSkewMs/],
    [{ futureSkewMs: 2 * DAY }, /"eventTimes".*one day/],
    [{ earliestMs: Number.NaN }, /"eventTimes.earliestMs"/],
    [{ latestMs: 0 }, /has no option "eventTimes.latestMs"/],
  ])('refuses %j at construction, in every adapter', (eventTimes, message) => {
    expect(() => churn({ model: storefrontModel, identify: () => null, eventTimes } as never)).toThrow(OptionsError);
    expect(() => churn({ model: storefrontModel, identify: () => null, eventTimes } as never)).toThrow(message);
    expect(() => churnHandler({ model: storefrontModel, store: memoryStore(), eventTimes } as never)).toThrow(message);
  });
});
