/**
 * The dashboard and the shop in Chromium when what the store holds is hostile: customer ids
 * posted through the public `POST /churn/events` with HTML, a right-to-left override and 200
 * characters without a space, money at the route's bound, an owner whose browser is ten hours
 * behind UTC. The real server (what `npm start` runs) on a seeded store, a phone screen.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_POLICY } from '../../../plugin/demo/demo-policy.js';
import { resolveOptions } from '../../../plugin/express/options.js';
import { assignGroup } from '../../../plugin/policy/holdout.js';
import { CHROMIUM, demoInChromium, hasChromium, pageWidth, PHONE, watchedPage } from './demo-in-chromium.js';

if (!hasChromium) console.warn(`Hostile dashboard browser test skipped: ${CHROMIUM} is absent (CI installs Debian's chromium).`);

const DAY = 86_400_000;
const policy = resolveOptions({ model: {}, identify: () => null, ...DEMO_POLICY }).policy;

/** `base` with the first suffix the demo's hold-out puts in treatment, so a visit gets an offer. */
function treated(base: string): string {
  for (let suffix = 0; ; suffix++) {
    const id = `${base}${suffix}`;
    if (assignGroup(id, policy.holdoutFraction, policy.holdoutSalt) === 'treatment') return id;
  }
}

/** A letter after U+202E (RIGHT-TO-LEFT OVERRIDE) is drawn right to left until the paragraph ends. */
const OVERRIDE_ID = treated('\u202Eevil مرحبا 😀 ');
const LONG_ID = treated('W'.repeat(198));
const MARKUP_ID = treated('<img src=x onerror=alert(1)></script>"\' ');
const VISITOR_ID = treated('visitor-');

/** Five orders at the route's bound, the last 300 days ago: the most valuable lapsed customers of the store. */
function lapsedFortune(customerId: string, now: number) {
  return [0, 1, 2, 3, 4].flatMap((day) => [
    { customerId, type: 'session_start', ts: now - (300 - day) * DAY },
    { customerId, type: 'order', value: 1e12, ts: now - (300 - day) * DAY + 1000 },
  ]);
}

async function postEvents(url: string, events: unknown[]): Promise<void> {
  const response = await fetch(`${url}/churn/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
  expect(response.status).toBe(201);
}

async function openDashboard(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

/** WCAG's contrast ratio of each element's text against its own background, or else the nearest ancestor's. */
function contrastRatios(page: Page, selector: string): Promise<{ text: string; ratio: number }[]> {
  return page.locator(selector).evaluateAll((nodes) => {
    const channels = (colour: string) => colour.match(/[\d.]+/g)!.map(Number);
    const luminance = (colour: string) => {
      const [r, g, b] = channels(colour).slice(0, 3).map((value) => {
        const unit = value / 255;
        return unit <= 0.03928 ? unit / 12.92 : ((unit + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const background = (node: Element | null): string => {
      for (let at = node; at; at = at.parentElement) {
        const colour = getComputedStyle(at).backgroundColor;
        if (channels(colour)[3] !== 0) return colour;
      }
      return 'rgb(255, 255, 255)';
    };
    return nodes.map((node) => {
      const [lighter, darker] = [luminance(getComputedStyle(node).color), luminance(background(node))].sort((a, b) => b - a);
      return { text: node.textContent ?? '', ratio: (lighter! + 0.05) / (darker! + 0.05) };
    });
  });
}

describe.skipIf(!hasChromium)("the dashboard and the shop in Chromium with hostile customer ids, money at the bound and an owner ten hours behind UTC (needs /usr/bin/chromium)", () => {
  const running = demoInChromium('dashboard-hostile', async () => ({}), { timezoneId: 'Pacific/Honolulu' });

  it('shows ids with markup, a right-to-left override or 200 letters as text that neither runs nor reorders nor widens anything', async () => {
    const now = Date.now();
    await postEvents(running.server.url, [OVERRIDE_ID, LONG_ID, MARKUP_ID].flatMap((id) => lapsedFortune(id, now)));
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await openDashboard(page, running.server.url);

    const ids = await page.locator('#at-risk tbody tr').evaluateAll((rows) => rows.slice(0, 3).map((row) => row.getAttribute('data-customer')));
    expect(new Set(ids)).toEqual(new Set([OVERRIDE_ID, LONG_ID, MARKUP_ID]));
    expect(await page.locator(`#at-risk tr[data-customer="${MARKUP_ID.replaceAll('"', '\\"')}"] td a`).textContent()).toBe(MARKUP_ID);
    expect(await page.locator('#at-risk img').count()).toBe(0);

    // The words after the overriding id still run left to right: "would get" starts left of where it ends.
    const offer = page.locator('#try-links li', { hasText: 'evil' }).locator('span.muted');
    expect(await offer.textContent()).toMatch(/^ would get: \w+; /);
    const [first, last] = await offer.evaluate((span) => {
      const text = span.firstChild!;
      const leftOf = (index: number) => {
        const range = document.createRange();
        range.setStart(text, index);
        range.setEnd(text, index + 1);
        return range.getBoundingClientRect().left;
      };
      return [leftOf(1), leftOf(text.textContent!.length - 1)];
    });
    expect(first).toBeLessThan(last!);

    // The 200-letter id breaks inside its cell: the table keeps its own width, the page the phone's.
    expect(await page.locator('#at-risk').evaluate((table) => table.getBoundingClientRect().width)).toBeLessThanOrEqual(900);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    await page.goto(`${running.server.url}/products/p-100?customer=${encodeURIComponent(LONG_ID)}`);
    expect(await page.locator('.shopper').textContent()).toBe(`Signed in as ${LONG_ID}`);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("gives the time of today's decision in UTC, the clock of the budget day it is counted in, whatever the browser's zone", async () => {
    const now = Date.now();
    await postEvents(running.server.url, lapsedFortune(VISITOR_ID, now));
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);
    const before = new Date();
    await page.goto(`${running.server.url}/products/p-100?customer=${encodeURIComponent(VISITOR_ID)}`);
    expect(await page.locator('aside.offer').count()).toBe(1);
    const after = new Date();

    await openDashboard(page, running.server.url);
    const status = await page.locator(`#at-risk tr[data-customer="${VISITOR_ID}"] td.action`).textContent();
    const utcTimes = [before, after].map((at) => at.toISOString().slice(11, 16));
    const shown = /issued today at (\d\d:\d\d UTC)/.exec(status!)?.[1];
    expect(utcTimes.map((time) => `${time} UTC`)).toContain(shown);
    expect(await page.locator('#budget').textContent()).toContain(`on ${after.toISOString().slice(0, 10)}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws the risk bands' words and arrows at a contrast one can read (WCAG AA, 4.5:1), and says in words what the charts and the meter show", async () => {
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);
    await openDashboard(page, running.server.url);
    // Every pill the dashboard draws (risk bands in the list, drift bands once 200 are scored), on a card as drawn there.
    await page.locator('#budget').evaluate((card) => {
      for (const band of ['low', 'medium', 'high', 'stable', 'watch', 'act']) card.append(Object.assign(document.createElement('span'), { className: `band ${band}`, textContent: band }));
    });
    const ratios = await contrastRatios(page, '.band, .reasons .up, .reasons .down');
    expect(new Set(ratios.map(({ text }) => text))).toEqual(new Set(['low', 'medium', 'high', 'stable', 'watch', 'act', '▲', '▼']));
    expect(ratios.filter(({ ratio }) => ratio < 4.5)).toEqual([]);

    // The histogram's text alternative carries its figures: the customers in each band and bin.
    const bandCounts = await page.locator('#band-legend li').allTextContents();
    const chart = page.getByRole('img', { name: /churn probabilit/i }).first();
    const name = (await chart.getAttribute('aria-label'))!;
    for (const band of bandCounts) expect(name).toContain(band);
    expect(name).toMatch(/95\.0 %–100\.0 %: \d+/);
    expect(await page.getByRole('progressbar', { name: /budget used today/i }).getAttribute('aria-valuetext')).toMatch(/^[\d,.]+ of [\d,.]+$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('gives a reason that raised the risk beside each offer link, never one that lowered it', async () => {
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);
    // The store's own answer, with the first offered customer's risk-lowering reason put first, as
    // the model ranks reasons by size (a 5-star rater's rating often outweighs their silence).
    let offered: { customerId: string; reasons: { text: string; contribution: number }[] } | undefined;
    await page.route('**/demo/dashboard.json', async (route) => {
      const response = await route.fetch();
      const data = (await response.json()) as { atRisk: { customerId: string; decidedAt: number | null; group: string; action: string | null; reasons: { text: string; contribution: number }[] }[] };
      offered = data.atRisk.find((customer) => customer.decidedAt === null && customer.group === 'treatment' && customer.action !== null)!;
      offered.reasons.unshift({ ...offered.reasons[0]!, text: 'rates 5.0 out of 5 on average', contribution: -3 });
      await route.fulfill({ response, json: data });
    });
    await openDashboard(page, running.server.url);
    const link = await page.locator('#try-links li').first().textContent();
    expect(link).toContain(offered!.customerId);
    expect(link).not.toContain('rates 5.0 out of 5');
    expect(link!.endsWith(`; ${offered!.reasons.find((reason) => reason.contribution > 0)!.text}`)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows no bin "that moved most" while too few customers are scored for the index, only once they are', async () => {
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);
    await openDashboard(page, running.server.url);
    expect(await page.locator('#drift-summary').textContent()).toMatch(/^\d+ customers scored so far; the index is shown from 200 on/);
    const moved = await page.locator('#drift tbody tr td:nth-child(4)').allTextContents();
    expect(moved.length).toBeGreaterThan(1);
    expect(new Set(moved)).toEqual(new Set(['–']));

    const file = new Database(join(running.workDir, 'data', 'churnkit.sqlite'), { readonly: true });
    const known = file.prepare('SELECT customer_id FROM customers ORDER BY customer_id LIMIT 250').pluck().all() as string[];
    file.close();
    const scored = await fetch(`${running.server.url}/churn/score/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: known.map((customerId) => ({ customerId })) }) });
    expect(scored.status).toBe(200);
    await openDashboard(page, running.server.url);
    for (const text of await page.locator('#drift tbody tr td:nth-child(4)').allTextContents()) expect(text).toMatch(/: \d+\.\d % → \d+\.\d %$/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
