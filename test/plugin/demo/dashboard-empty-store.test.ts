/**
 * The dashboard of a store with no customers, in Chromium: the demo seeded with one customer
 * (`startDemo`, in this process), who is then erased through the admin route, as a shop that
 * has just wiped its test data would be. Every panel says there is nothing yet, and no figure
 * claims a customer who is not there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardData } from '../../../plugin/demo/dashboard-data.js';
import { startDemo, type RunningDemo } from '../../../plugin/demo/server.js';
import { CHROMIUM, hasChromium, launchPhone, pageWidth, PHONE, watchedPage } from './demo-in-chromium.js';

if (!hasChromium) console.warn(`Empty-store dashboard browser test skipped: ${CHROMIUM} is absent (CI installs Debian's chromium).`);

const ADMIN_TOKEN = 'empty-store-admin-token';

describe.skipIf(!hasChromium)('the dashboard of a store with no customers, in Chromium (needs /usr/bin/chromium)', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'churnkit-dashboard-empty-'));
  let demo: RunningDemo;
  let context: BrowserContext;

  beforeAll(async () => {
    [demo, context] = await Promise.all([
      startDemo({ port: 0, dataDir: join(workDir, 'data'), customers: 1, adminToken: ADMIN_TOKEN, log: () => {} }),
      launchPhone(join(workDir, 'chromium-profile')),
    ]);
    const seeded = (await (await fetch(`${demo.url}/demo/dashboard.json`)).json()) as DashboardData;
    for (const { customerId } of seeded.atRisk) {
      const erased = await fetch(`${demo.url}/churn/customers/erase`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ customerId }),
      });
      expect(erased.status).toBe(200);
    }
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await demo?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('says the store has no customers yet instead of blaming the budget, and labels the empty histogram 0', async () => {
    const problems: string[] = [];
    const page = await watchedPage(context, problems);
    await page.goto(`${demo.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.locator('#summary').textContent()).toMatch(/^0 customers · /);

    expect(await page.locator('#try-links').textContent()).toMatch(/^No customers in the store yet/);
    expect(await page.locator('#at-risk tbody').textContent()).toMatch(/^No customers in the store yet/);
    expect(await page.locator('#retention tbody').textContent()).toMatch(/^No decisions logged yet/);
    expect(await page.locator('#risk-svg g.risk-bar').evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-count')))).toEqual(new Array(20).fill('0'));
    expect(await page.locator('#risk-svg rect.risk-segment').count()).toBe(0);
    const axisLabels = await page.locator('#risk-svg text').allTextContents();
    expect(axisLabels).toContain('0');
    expect(axisLabels).not.toContain('1');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(problems).toEqual([]);
    await page.close();
  });
});
