/**
 * Issue 11, defect 7 (forged outcomes): `POST /churn/outcomes` accepts an outcome only for a
 * decision the store logged, and attributes it to that decision. Before, anyone could post
 * outcomes for a made-up action and group, and they showed in `GET /churn/report`.
 */
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, NOW, testStorefront, type TestStorefront } from './plugin-app.js';

let shop: TestStorefront;
beforeEach(async () => {
  shop = await testStorefront({ holdoutFraction: 0, policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3, cooldownMs: DAY }, { name: 'care', cost: 1, successRate: 0.05 }] } });
});
afterEach(async () => shop.close());

/** A lapsed customer, scored once: the policy logs a coupon for them. */
async function decided(customerId: string) {
  await request(shop.app).post('/churn/events').send({ events: [{ customerId, ts: NOW - 300 * DAY, type: 'order', value: 40 }] }).expect(201);
  const score = (await request(shop.app).post('/churn/score').send({ customerId }).expect(200)).body;
  expect(score.action?.name).toBe('coupon');
}

const report = async () => (await request(shop.app).get('/churn/report').expect(200)).body;

describe('POST /churn/outcomes', () => {
  it('refuses an outcome for a made-up action and group, and the report does not show it', async () => {
    const forged = await request(shop.app).post('/churn/outcomes').send({ customerId: 'mallory', retained: true, action: 'free-tv', group: 'treatment' }).expect(409);
    expect(forged.body.error).toEqual({
      code: 'NO_LOGGED_DECISION',
      message: 'customer "mallory" has no logged decision for action "free-tv" in group "treatment" at or before 2026-11-23T12:00:00.000Z: outcomes are accepted only for decisions the policy logged',
    });
    await request(shop.app).post('/churn/outcomes').send({ customerId: 'mallory', retained: false }).expect(409);
    expect((await report()).actions).toEqual([]);
  });

  it("attributes an outcome to the customer's logged decision, and says which", async () => {
    await decided('c1');
    const recorded = await request(shop.app).post('/churn/outcomes').send({ customerId: 'c1', retained: true }).expect(201);
    expect(recorded.body).toEqual({ recorded: true, action: 'coupon', group: 'treatment' });
    const coupon = (await report()).actions.find((row: { action: string }) => row.action === 'coupon');
    expect(coupon.treatment).toEqual({ customers: 1, retained: 1, retention: 1 });
  });

  it('refuses an outcome that names an action or group other than the ones logged for the customer', async () => {
    await decided('c2');
    await request(shop.app).post('/churn/outcomes').send({ customerId: 'c2', retained: true, action: 'care' }).expect(409);
    await request(shop.app).post('/churn/outcomes').send({ customerId: 'c2', retained: true, group: 'holdout' }).expect(409);
    await request(shop.app).post('/churn/outcomes').send({ customerId: 'c2', retained: true, action: 'coupon', group: 'treatment' }).expect(201);
    expect((await report()).actions.map((row: { action: string }) => row.action)).toEqual(['coupon']);
  });

  it('refuses an outcome dated before the decision it would belong to, or outside the event-time bounds', async () => {
    await decided('c3');
    const early = await request(shop.app).post('/churn/outcomes').send({ customerId: 'c3', retained: true, ts: NOW - DAY }).expect(409);
    expect(early.body.error.message).toContain('at or before 2026-11-22T12:00:00.000Z');
    const future = await request(shop.app).post('/churn/outcomes').send({ customerId: 'c3', retained: true, ts: NOW + DAY }).expect(400);
    expect(future.body.error).toMatchObject({ code: 'EVENT_TIME_OUT_OF_RANGE', field: 'ts' });
  });

  it('attributes to the latest logged decision at or before the outcome', async () => {
    await decided('c4');
    shop.clock.now = NOW + 2 * DAY;
    // The coupon's one-day cooldown is over: the next decision is a second coupon.
    expect((await request(shop.app).post('/churn/score').send({ customerId: 'c4' })).body.action?.name).toBe('coupon');
    const decisions = await shop.store.decisionsSince('c4', 0);
    expect(decisions).toHaveLength(2);
    await request(shop.app).post('/churn/outcomes').send({ customerId: 'c4', retained: false, ts: NOW + DAY }).expect(201);
    await request(shop.app).post('/churn/outcomes').send({ customerId: 'c4', retained: true }).expect(201);
    const coupon = (await report()).actions.find((row: { action: string }) => row.action === 'coupon');
    // One customer, counted once (the latest outcome wins), in the arm of their decisions.
    expect(coupon.treatment).toEqual({ customers: 1, retained: 1, retention: 1 });
  });
});
