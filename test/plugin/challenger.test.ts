/**
 * Champion and challenger (issue 13, item 5): a challenger beside the serving model scores a
 * sample of the same requests after the answer, both scores are logged in the store, and
 * once their churn horizon has passed in the event log `GET /challenger` compares the two on
 * the same customers: every customer scored, labelled as retraining labels them (churned = no
 * order within 90 days after the score), decided on by the policy or not. A comparison is
 * reused for `REPORT_REUSE_MS`: a test that reads it again after a change moves the clock on.
 */
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { churn } from '../../plugin/express/index.js';
import { REPORT_REUSE_MS } from '../../plugin/challenger/shared-report.js';
import { memoryStore } from '../../plugin/store/memory-store.js';
import { brierScore, logLoss, rocAuc } from '../../src/metrics/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, runCli } from '../cli/run-cli.js';
import { ADMIN_TOKEN, DAY, testStorefront, type TestStorefront } from './plugin-app.js';
import { TEST_MODEL_FIT, testModel, testModelFile } from './test-model.js';

let shop: TestStorefront | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

/** Customer i: more days since the last order as i grows; churned when past 200 days. */
function customer(index: number) {
  const recency = (index * 37) % 400;
  return { customerId: `c${index}`, record: { recency_days: recency, log_orders_total: (index % 5) / 2, cart_items: index % 4 }, churned: recency > 200 };
}

async function scoreCustomers(app: express.Express, count: number): Promise<{ probability: number; modelVersion: string }[]> {
  const answers = [];
  for (let index = 0; index < count; index++) {
    const { customerId, record } = customer(index);
    answers.push((await request(app).post('/churn/score').send({ customerId, record }).expect(200)).body);
  }
  return answers;
}

/**
 * What the storefront's event log says after the scores: customers who did not churn order 10
 * days later, those who churned never again; a visit 100 days later completes the log past
 * the 90-day horizon. This storefront has no policy, so it logs no decisions and takes no
 * outcomes: the labels come from the events alone.
 */
async function logWhatHappened(target: TestStorefront, count: number, first = 0): Promise<void> {
  const scoredAt = target.clock.now;
  const events = [];
  for (let index = first; index < first + count; index++) {
    const { customerId, churned } = customer(index);
    if (!churned) events.push({ customerId, ts: scoredAt + 10 * DAY, type: 'order', value: 30 });
  }
  events.push({ customerId: 'someone-else', ts: scoredAt + 100 * DAY, type: 'session_start' });
  await target.store.appendEvents(events);
}

describe('a challenger beside the serving model', () => {
  it('answers with the champion, and logs the challenger\'s score of the same request after the answer', async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5), challengerSample: 1 });
    const answers = await scoreCustomers(shop.app, 30);
    expect(new Set(answers.map((answer) => answer.modelVersion))).toEqual(new Set(['test-v1']));
    const report = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(report.challenger).toMatchObject({ version: 'challenger-v2' });
    expect(report.comparisons).toHaveLength(1);
    expect(report.comparisons[0]).toMatchObject({ scoredRequests: 30, awaitingOutcome: 30, customers: 0, champion: { version: 'test-v1', auc: null } });
    expect(report.labels).toEqual({ source: 'event log', horizon: '90d', gap: '0d', active: ['order'], completeUntil: null });
  });

  it('compares the two on every scored customer whose horizon has passed, labelled from the event log: AUC, log loss and Brier', async () => {
    const challenger = await testModel('challenger-v2', 0.5);
    const champion = await testModel('test-v1', -0.5);
    shop = await testStorefront({ challenger, challengerSample: 1 });
    await scoreCustomers(shop.app, 40);
    await logWhatHappened(shop, 40);
    const [comparison] = (await request(shop.app).get('/churn/challenger').expect(200)).body.comparisons;
    const labels = Array.from({ length: 40 }, (_, index) => (customer(index).churned ? 1 : 0));
    const scoresOf = (model: typeof champion) => Array.from({ length: 40 }, (_, index) => model.predict(customer(index).record));
    for (const [name, model] of [['champion', champion], ['challenger', challenger]] as const) {
      const scores = scoresOf(model);
      expect(comparison[name].auc).toBeCloseTo(rocAuc(labels, scores), 10);
      expect(comparison[name].logLoss).toBeCloseTo(logLoss(labels, scores), 10);
      expect(comparison[name].brier).toBeCloseTo(brierScore(labels, scores), 10);
    }
    expect(comparison).toMatchObject({ customers: 40, churned: labels.filter(Boolean).length, awaitingOutcome: 0 });
    // The same weights, one bias apart: the same ranking, so neither wins on AUC.
    expect(comparison.better.auc).toBe('tie');
    expect(comparison.better.logLoss).toBe(comparison.challenger.logLoss < comparison.champion.logLoss ? 'challenger' : 'champion');
  });

  it('waits for a customer\'s horizon to pass, and labels them by orders inside it only', async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5), challengerSample: 1 });
    await scoreCustomers(shop.app, 4);
    const scoredAt = shop.clock.now;
    // c0 orders on day 89 (active), c1 on day 90 (outside [score, score + 90d): churned); c2 and c3 never.
    await shop.store.appendEvents([
      { customerId: 'c0', ts: scoredAt + 89 * DAY, type: 'order', value: 20 },
      { customerId: 'c1', ts: scoredAt + 90 * DAY, type: 'order', value: 20 },
    ]);
    // The log is complete up to the start of its latest event's day: day 90 is still being written.
    const early = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(early.comparisons[0]).toMatchObject({ customers: 0, awaitingOutcome: 4 });
    await shop.store.appendEvents([{ customerId: 'c2', ts: scoredAt + 91 * DAY, type: 'session_start' }]);
    shop.clock.now += REPORT_REUSE_MS;
    const report = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(report.comparisons[0]).toMatchObject({ customers: 4, churned: 3, awaitingOutcome: 0 });
    expect(Date.parse(report.labels.completeUntil)).toBeGreaterThanOrEqual(scoredAt + 90 * DAY);
  });

  it('gives the same comparison offline: churnkit challenger --store <the SQLite file>', async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5), challengerSample: 1 });
    await scoreCustomers(shop.app, 30);
    await logWhatHappened(shop, 30);
    const served = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    const file = join(shop.dataDir, 'churnkit.sqlite');
    const json = runCli(['challenger', '--store', file, '--json'], shop.dataDir);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ labels: served.labels, comparisons: served.comparisons });
    const table = runCli(['challenger', '--store', `sqlite:${shop.dataDir}`], shop.dataDir);
    expect(table.stdout).toMatch(/^labels from the event log: churned = no order within 90d after the score \(log complete up to \d{4}-\d\d-\d\d\)$/m);
    expect(table.stdout).toMatch(/^champion test-v1 against challenger challenger-v2: 30 customers labelled \(\d+ churned\), 0 within their horizon/m);
    // Another churn definition: with a 5-day horizon the orders on day 10 are outside it, so everyone churned.
    const short = JSON.parse(runCli(['challenger', '--store', file, '--horizon', '5d', '--json'], shop.dataDir).stdout);
    expect(short.comparisons[0]).toMatchObject({ customers: 30, churned: 30 });
    expect(table.stdout).toMatch(/^challenger\s+challenger-v2\s+0\.\d{4}/m);
    const missing = runCli(['challenger', '--store', join(shop.dataDir, 'nope.sqlite')], shop.dataDir);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/STORE_NOT_FOUND|store file not found/);
  });

  it('labels with the plugin\'s churnDefinition, as churnkit challenger does with the same flags', async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5), challengerSample: 1, churnDefinition: { horizon: '5d' } });
    await scoreCustomers(shop.app, 30);
    await logWhatHappened(shop, 30);
    const served = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    // The orders on day 10 fall outside a 5-day horizon: everyone churned.
    expect(served.labels).toMatchObject({ horizon: '5d', gap: '0d', active: ['order'] });
    expect(served.comparisons[0]).toMatchObject({ customers: 30, churned: 30 });
    const offline = JSON.parse(runCli(['challenger', '--store', `sqlite:${shop.dataDir}`, '--horizon', '5d', '--json'], shop.dataDir).stdout);
    expect(offline).toEqual({ labels: served.labels, comparisons: served.comparisons });
  });

  it('counts the event types the churnDefinition names as activity, and refuses a definition it cannot use', async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5), challengerSample: 1, churnDefinition: { active: ['session_start'] } });
    await scoreCustomers(shop.app, 30);
    await logWhatHappened(shop, 30);
    // Only 'someone-else' had a session: no scored customer was active, orders do not count.
    const served = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(served.labels.active).toEqual(['session_start']);
    expect(served.comparisons[0]).toMatchObject({ customers: 30, churned: 30 });
    const options = { model: await testModel(), identify: () => null, store: memoryStore() };
    expect(() => churn({ ...options, churnDefinition: { horizon: 'soon' } })).toThrow(/option "churnDefinition.horizon": expected a duration/);
    expect(() => churn({ ...options, churnDefinition: { active: [] } })).toThrow(/option "churnDefinition.active"/);
  });

  it('scores only the share of requests asked for', async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5), challengerSample: 0.25 });
    await scoreCustomers(shop.app, 40);
    const [comparison] = (await request(shop.app).get('/churn/challenger').expect(200)).body.comparisons;
    expect(comparison.scoredRequests).toBe(10);
  });
});

describe('setting and clearing the challenger (admin)', () => {
  it('PUT /challenger loads a model file as the challenger, DELETE /challenger removes it', async () => {
    shop = await testStorefront();
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await scoreCustomers(shop.app, 5);
    expect((await request(shop.app).get('/churn/challenger').expect(200)).body).toMatchObject({ challenger: null, sample: 0.1, comparisons: [] });
    await request(shop.app).put('/churn/challenger').send(await testModelFile('challenger-v3', 1)).expect(401);
    const set = await request(shop.app).put('/churn/challenger').set(admin).send(await testModelFile('challenger-v3', 1)).expect(200);
    expect(set.body).toEqual({ version: 'challenger-v3', previousVersion: null });
    await scoreCustomers(shop.app, 20);
    shop.clock.now += REPORT_REUSE_MS;
    const scored = (await request(shop.app).get('/churn/challenger').expect(200)).body;
    expect(scored.comparisons[0]).toMatchObject({ challenger: { version: 'challenger-v3' }, scoredRequests: 2 });
    expect((await request(shop.app).delete('/churn/challenger').set(admin).expect(200)).body).toEqual({ version: null, previousVersion: 'challenger-v3' });
    await scoreCustomers(shop.app, 20);
    shop.clock.now += REPORT_REUSE_MS;
    expect((await request(shop.app).get('/churn/challenger').expect(200)).body.comparisons[0].scoredRequests).toBe(2);
  });

  it('refuses a bad model file with 400 and keeps the challenger it had', async () => {
    shop = await testStorefront({ challenger: await testModel('challenger-v2', 0.5) });
    const broken = { ...(await testModelFile('broken', 1)), version: 'tampered' };
    const refused = await request(shop.app).put('/churn/challenger').set({ authorization: `Bearer ${ADMIN_TOKEN}` }).send(broken).expect(400);
    expect(refused.body.error.code).toBe('MODEL_CHECKSUM');
    expect((await request(shop.app).get('/churn/challenger').expect(200)).body.challenger.version).toBe('challenger-v2');
  });
});

describe('a store that keeps no challenger scores', () => {
  it('fails ready() for the challenger option, and answers 409 to the routes, naming why', async () => {
    const withOption = churn({ model: await testModel(), store: memoryStore(), identify: () => null, modelFit: TEST_MODEL_FIT, challenger: await testModel('challenger-v2', 0.5) });
    await expect(withOption.ready()).rejects.toMatchObject({ code: 'STORE_NO_CHALLENGER_LOG' });
    const plugin = churn({ model: await testModel(), store: memoryStore(), identify: () => null, modelFit: TEST_MODEL_FIT, adminToken: ADMIN_TOKEN });
    await plugin.ready();
    const app = express().use('/churn', plugin.router());
    expect((await request(app).get('/churn/challenger').expect(409)).body.error.code).toBe('STORE_NO_CHALLENGER_LOG');
    const put = await request(app).put('/churn/challenger').set({ authorization: `Bearer ${ADMIN_TOKEN}` }).send(await testModelFile('challenger-v2', 1)).expect(409);
    expect(put.body.error.message).toMatch(/SQLite or Redis/);
  });

  it('answers 503 STORE_ERROR to both routes when the store failed to open (worth a retry; 409 is for a store that keeps no log)', async () => {
    const notADirectory = join(makeTempDir(), 'a-file');
    writeFileSync(notADirectory, 'x');
    const plugin = churn({ model: await testModel(), dataDir: notADirectory, identify: () => null, modelFit: TEST_MODEL_FIT, adminToken: ADMIN_TOKEN });
    await plugin.ready().catch(() => undefined);
    const app = express().use('/churn', plugin.router());
    const put = await request(app).put('/churn/challenger').set({ authorization: `Bearer ${ADMIN_TOKEN}` }).send(await testModelFile('challenger-v2', 1)).expect(503);
    expect(put.body.error.code).toBe('STORE_ERROR');
    expect((await request(app).get('/churn/challenger').expect(503)).body.error.code).toBe('STORE_ERROR');
  });
});
