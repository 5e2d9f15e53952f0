/**
 * What `GET /challenger` costs the storefront. The route is public and its comparison reads
 * the event log, the store's largest table: a caller must not be able to stall the event loop
 * (and with it every product page and `/healthz`) by asking for it.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { countCalls, testStorefront, type TestStorefront } from './plugin-app.js';

let shop: TestStorefront | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

describe('GET /challenger on a busy storefront', () => {
  it('reads no event when no challenger score was logged, and answers the empty comparison', async () => {
    shop = await testStorefront();
    await shop.store.appendEvents([{ customerId: 'c1', ts: shop.clock.now, type: 'order', value: 20 }]);
    const eventLog = countCalls(shop, 'eventLog');
    const report = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(eventLog.calls).toBe(0);
    expect(report).toMatchObject({ challenger: null, comparisons: [], labels: { completeUntil: null } });
  });
});
