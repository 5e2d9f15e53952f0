import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignGroup } from '../../../plugin/policy/holdout.js';
import { startDemo, type RunningDemo } from '../../../plugin/demo/server.js';
import { DEMO_POLICY } from '../../../plugin/demo/demo-policy.js';
import type { DashboardData } from '../../../plugin/demo/dashboard-data.js';
import { writeQuickModel } from './quick-model.js';

const DAY_MS = 86_400_000;

/** A customer id the demo's hold-out hash puts in the treatment group. */
function treatmentCustomer(prefix: string): string {
  for (let i = 0; ; i++) {
    const id = `${prefix}-${i}`;
    if (assignGroup(id, DEMO_POLICY.holdoutFraction, 'churnkit') === 'treatment') return id;
  }
}

describe('demo storefront server', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'churnkit-demo-'));
  const dataDir = join(workDir, 'data');
  const logLines: string[] = [];
  let modelPath: string;
  let demo: RunningDemo;

  beforeAll(async () => {
    delete process.env.CHURNKIT_ADMIN_TOKEN;
    modelPath = await writeQuickModel(workDir);
    demo = await startDemo({ port: 0, dataDir, modelPath, customers: 400, log: (line) => logLines.push(line) });
  });
  afterAll(async () => {
    await demo?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('seeds customers, decisions and outcomes on first start, and reports them on the dashboard endpoint', async () => {
    expect(logLines.some((line) => /seeding 400 customers/.test(line))).toBe(true);
    const response = await fetch(`${demo.url}/demo/dashboard.json`);
    expect(response.status).toBe(200);
    const data = (await response.json()) as DashboardData;
    expect(data.customers).toBeGreaterThan(300);
    expect(data.histogram.counts.reduce((sum, count) => sum + count, 0)).toBe(data.customers);
    expect(data.bandCounts.low + data.bandCounts.medium + data.bandCounts.high).toBe(data.customers);
    expect(data.atRisk.length).toBeGreaterThan(0);
    expect(data.atRisk[0]!.reasons.length).toBeGreaterThan(0);
    expect(data.retention.some((row) => row.treatment.customers > 0 && row.holdout.customers > 0)).toBe(true);
    expect(data.budget.dailyBudget).toBe(DEMO_POLICY.dailyBudget);
    // JSON turns NaN into null: every figure must have come through as a real number.
    for (const row of data.atRisk) {
      expect(row.probability).toBeGreaterThanOrEqual(0);
      expect(row.probability).toBeLessThanOrEqual(1);
      for (const reason of row.reasons) expect(typeof reason.contribution).toBe('number');
    }
  });

  it("leaves today's budget whole: the simulated week ends yesterday, so the first risky visitor can get an offer", async () => {
    const report = (await (await fetch(`${demo.url}/churn/report`)).json()) as { budget: { spentToday: number; spentTotal: number } };
    expect(report.budget.spentToday).toBe(0);
    expect(report.budget.spentTotal).toBeGreaterThan(0);
  });

  it("offers on the product page exactly what the dashboard previewed for its costliest customer, and then counts it", async () => {
    const before = (await (await fetch(`${demo.url}/demo/dashboard.json`)).json()) as DashboardData;
    const previewed = before.atRisk.find((row) => row.decidedAt === null && row.group === 'treatment' && row.action !== null);
    expect(previewed, 'a customer the policy would act on').toBeDefined();
    const page = await fetch(`${demo.url}/products/p-200?customer=${previewed!.customerId}`);
    const html = await page.text();
    expect(html).toContain(`<aside class="offer" data-action="${previewed!.action}"`);
    expect(html).toMatch(/Why this offer: churn risk [\d.]+ %/);

    const after = (await (await fetch(`${demo.url}/demo/dashboard.json`)).json()) as DashboardData;
    const decided = after.atRisk.find((row) => row.customerId === previewed!.customerId)!;
    expect(decided).toMatchObject({ action: previewed!.action, group: 'treatment' });
    expect(decided.decidedAt).toBeGreaterThan(before.scoredAt - 1);
    expect(after.budget.spent).toBeGreaterThan(before.budget.spent);
  });

  it('shows a retention offer on the product page to a valuable customer who stopped buying', async () => {
    const customerId = treatmentCustomer('vip');
    const lastOrder = Date.now() - 120 * DAY_MS;
    const events = Array.from({ length: 8 }, (_, i) => ({
      customerId,
      ts: lastOrder - i * 14 * DAY_MS,
      type: 'order',
      value: 250,
      quantity: 2,
      category: 'electronics',
      channel: 'web',
    }));
    const posted = await fetch(`${demo.url}/churn/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(posted.status).toBe(201);

    const page = await fetch(`${demo.url}/products/p-100`, { headers: { 'x-customer-id': customerId } });
    expect(page.status).toBe(200);
    const offer = /<aside class="offer" data-action="(coupon|care_call|email)"/;
    const first = offer.exec(await page.text());
    expect(first).not.toBeNull();

    // The next view, identified by cookie, is in the first action's cooldown: another action or none.
    const again = await fetch(`${demo.url}/products/p-300`, { headers: { cookie: `theme=dark; customer=${customerId}` } });
    expect(again.status).toBe(200);
    expect(offer.exec(await again.text())?.[1]).not.toBe(first![1]);
  });

  it('shows the plain page to anonymous shoppers and names the products for an unknown one', async () => {
    const page = await fetch(`${demo.url}/products/p-200`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Espresso grinder');
    expect(html).not.toContain('class="offer"');
    const malformedCookie = await fetch(`${demo.url}/products/p-200`, { headers: { cookie: 'customer=%E0%A4%A' } });
    expect(malformedCookie.status).toBe(200);
    expect(await malformedCookie.text()).not.toContain('class="offer"');
    const missing = await fetch(`${demo.url}/products/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/no product "nope".*p-100/);
  });

  it("answers a malformed URL with a 400 in the plugin's JSON error shape, without a stack or server paths", async () => {
    const response = await fetch(`${demo.url}/products/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    expect(text).not.toContain('node_modules');
    expect(text).not.toMatch(/\bat /);
  });

  it("shows the dashboard without a customer whose stored state is unreadable, counting them, and logs why", async () => {
    const before = (await (await fetch(`${demo.url}/demo/dashboard.json`)).json()) as DashboardData;
    const db = new Database(join(dataDir, 'churnkit.sqlite'));
    const select = db.prepare<[string], Buffer>('SELECT state FROM customers WHERE customer_id = ?').pluck();
    const update = db.prepare<[Buffer, string]>('UPDATE customers SET state = ? WHERE customer_id = ?');
    const original = select.get('C000002')!;
    try {
      update.run(Buffer.from('0067617262616765', 'hex'), 'C000002');
      const response = await fetch(`${demo.url}/demo/dashboard.json`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toMatch(/\bat |ChurnkitError|STATE_FORMAT/);
      const data = JSON.parse(text) as DashboardData;
      expect(data.unreadableCustomers).toBe(1);
      expect(data.customers).toBe(before.customers - 1);
      expect(logLines.filter((line) => line.startsWith('dashboard: left out'))).toEqual([
        expect.stringMatching(/position \d+ .*stored customer state: 8 bytes that are not a churnkit state record$/),
      ]);
    } finally {
      update.run(original, 'C000002');
      db.close();
    }
  });

  it('keeps admin routes closed without CHURNKIT_ADMIN_TOKEN', async () => {
    const response = await fetch(`${demo.url}/churn/model`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: 'Bearer guess-guess-guess-guess' },
      body: '{}',
    });
    expect(response.status).toBe(403);
  });

  it('does not seed again when restarted on the same data', async () => {
    const before = ((await (await fetch(`${demo.url}/demo/dashboard.json`)).json()) as DashboardData).customers;
    await demo.close();
    const restartLog: string[] = [];
    demo = await startDemo({ port: 0, dataDir, modelPath, customers: 400, log: (line) => restartLog.push(line) });
    expect(restartLog.some((line) => /not seeding/.test(line))).toBe(true);
    const after = ((await (await fetch(`${demo.url}/demo/dashboard.json`)).json()) as DashboardData).customers;
    expect(after).toBe(before);
  });

  it('refuses a port another server holds with DEMO_LISTEN, saying which port to use instead, and closes its store', async () => {
    const holder = createServer();
    await new Promise<void>((listening) => holder.listen(0, '127.0.0.1', () => listening()));
    const port = (holder.address() as AddressInfo).port;
    const otherData = join(workDir, 'data-busy-port');
    try {
      await expect(startDemo({ port, dataDir: otherData, modelPath, customers: 50, log: () => {} })).rejects.toMatchObject({
        code: 'DEMO_LISTEN',
        message: `port ${port} on 127.0.0.1 is already in use (by another server?): start the demo on another port, e.g. PORT=${port + 1} npm start`,
      });
      // The store was closed: another process may open and write the file at once.
      const db = new Database(join(otherData, 'churnkit.sqlite'));
      db.exec('BEGIN IMMEDIATE; COMMIT;');
      db.close();
    } finally {
      await new Promise<void>((closed) => holder.close(() => closed()));
    }
  });
});
