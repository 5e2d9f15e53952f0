/**
 * The demo as a new user meets it: the real server (`node dist/plugin/demo/server.js`, what
 * `npm start` runs) on a fresh data folder with the shipped model, and headless Chromium on a
 * 390-pixel phone screen. The product page of docs/demo.md's example customer shows an offer
 * saying why; the dashboard then counts that decision; a link from the dashboard opens
 * another customer's offer. No console errors, no page wider than the phone.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, demoInChromium, hasChromium, pageWidth, PHONE, ROOT, watchedPage } from './demo-in-chromium.js';
import { writeQuickModel } from './quick-model.js';

if (!hasChromium) console.warn(`Demo story browser test skipped: ${CHROMIUM} is absent (CI installs Debian's chromium).`);

/** The example URL docs/demo.md gives a new user. */
function documentedProductPage(): string {
  const example = /`(\/products\/p-\d+\?customer=C\d+)`/.exec(readFileSync(join(ROOT, 'docs/demo.md'), 'utf8'));
  if (!example) throw new Error('docs/demo.md names no example product page (/products/p-…?customer=C…)');
  return example[1]!;
}

describe.skipIf(!hasChromium)('the demo tells its story in Chromium on a phone (needs /usr/bin/chromium)', () => {
  const running = demoInChromium('demo-story');
  const { workDir } = running;

  it("shows docs/demo.md's risky customer an offer saying why, then counts that decision on the dashboard", async () => {
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);

    await page.goto(`${running.server.url}${documentedProductPage()}`);
    const offer = page.locator('aside.offer');
    await expect.poll(() => offer.isVisible()).toBe(true);
    expect(await offer.getAttribute('data-action')).toBe('coupon');
    expect(await offer.textContent()).toMatch(/10 € off[\s\S]*Why this offer: churn risk [\d.]+ %: last seen \d+ days ago/);
    expect(await page.locator('a.dashboard-link').getAttribute('href')).toBe('/');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    await page.click('a.dashboard-link');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const customer = /customer=(C\d+)/.exec(documentedProductPage())![1]!;
    expect(await page.locator('#budget .big').textContent()).toBe('10.00');
    const row = page.locator(`#at-risk tr[data-customer="${customer}"]`);
    expect(await row.locator('td.action').textContent()).toMatch(/^coupon · issued today at /);
    expect(await row.locator('.reasons li').first().textContent()).toMatch(/▲ last seen \d+ days ago/);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    // The dashboard in full: every histogram bar, ranked rows with readable numbers, retention.
    expect(await page.locator('#risk-svg g.risk-bar').count()).toBe(20);
    const segments = await page.locator('#risk-svg rect.risk-segment').evaluateAll((rects) =>
      rects.map((rect) => ({ band: rect.dataset.band!, count: Number(rect.dataset.count), height: Number(rect.getAttribute('height')) })),
    );
    expect(segments.every(({ height }) => Number.isFinite(height) && height > 0)).toBe(true);
    // Each bar is coloured by its customers' own bands, so the colours add up to the legend's counts.
    for (const item of await page.locator('#band-legend li').allTextContents()) {
      const [band, count] = item.split(': ');
      expect(segments.filter((segment) => segment.band === band).reduce((sum, segment) => sum + segment.count, 0)).toBe(Number(count));
    }
    const losses = await page.locator('#at-risk tbody tr td:nth-child(2)').allTextContents();
    const numbers = losses.map((text) => Number(text.replaceAll(',', '')));
    expect(numbers.length).toBe(15);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(await page.locator('#retention tbody tr').count()).toBeGreaterThan(0);
    // The Qini panel: one figure per action; the seeded week gives the coupon a curve with its
    // band, ranked as the policy ranked (no uplift model in the demo), its coefficient a number.
    expect(await page.locator('#qini figure').count()).toBe(3);
    const coupon = page.locator('#qini figure[data-action="coupon"]');
    expect(await coupon.locator('polyline.qini-curve').getAttribute('points')).toMatch(/^([\d.]+,[\d.]+ ){20}[\d.]+,[\d.]+$/);
    expect(await coupon.locator('polygon.qini-band').count()).toBe(1);
    expect(await coupon.locator('line.qini-random').count()).toBe(1);
    expect(await coupon.locator('figcaption').textContent()).toMatch(/^coupon · Qini coefficient [+−]\d\.\d{4} \[[+−]\d\.\d{4}, [+−]\d\.\d{4}\]: .*ranked by P\(churn\) × success rate; \d+ treated, \d+ held out with outcomes\.$/);
    const text = (await page.locator('body').textContent())!;
    expect(text).not.toMatch(/NaN|undefined|\d\.\d{5,}(?! %)/);
    const screenshot = join(workDir, 'dashboard-phone.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    // A blank page compresses to a few kilobytes; charts, tables and text do not.
    expect(statSync(screenshot).size).toBeGreaterThan(40_000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("opens another customer's offer from the dashboard's links, and the budget card counts it", async () => {
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);
    await page.goto(`${running.server.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const spentBefore = Number((await page.locator('#budget .big').textContent())!.replaceAll(',', ''));
    const link = page.locator('#try-links a').first();
    const promised = /would get: (\w+)/.exec((await page.locator('#try-links li').first().textContent())!)![1];

    await link.click();
    await expect.poll(() => page.locator('aside.offer').isVisible()).toBe(true);
    expect(await page.locator('aside.offer').getAttribute('data-action')).toBe(promised);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    // Back to the dashboard by a fresh load (going back, then reloading, aborted the first
    // load's data request whenever the reload came before it finished).
    await page.goto(`${running.server.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const spentAfter = Number((await page.locator('#budget .big').textContent())!.replaceAll(',', ''));
    expect(spentAfter).toBeGreaterThan(spentBefore);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!hasChromium)('the dashboard links to the serving model\'s report and shows its drift, in Chromium (needs /usr/bin/chromium)', () => {
  // A model trained in-process, so the report and drift panels are shown for any model, not only the shipped one.
  const running = demoInChromium('demo-drift', async (workDir) => ({ CHURNKIT_MODEL: await writeQuickModel(workDir) }));

  it("opens the serving model's report from the dashboard: charts drawn from the store's labelled customers", async () => {
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);
    await page.goto(`${running.server.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.click('a#model-report');
    await page.waitForSelector('h1');
    expect(await page.locator('h1').first().textContent()).toBe('Churn model report');
    expect(await page.locator('header .meta').textContent()).toMatch(/customers not acted on, labelled by their outcome/);
    expect(await page.locator('svg').count()).toBeGreaterThan(4);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says a column is not measured, rather than "too few yet", when its PSI needs more customers than the window holds', async () => {
    const entry = (feature: string, minObservations: number, psi: number | null) => ({
      feature,
      type: 'categorical',
      minObservations,
      psi,
      band: psi === null ? null : 'stable',
      bins: [{ label: 'web', expected: 0.5, actual: 0.5 }],
    });
    // What GET /drift answers for a model with a column of some 130 categories and a window of 1,000 customers, 600 scored.
    const report = {
      modelVersion: 'stub',
      available: true,
      window: 1000,
      sample: 1,
      minObservations: 200,
      observations: 600,
      dropped: 0,
      bands: { watch: 0.1, act: 0.25 },
      score: entry('score', 200, 0.01),
      features: [entry('recency_days', 200, 0.02), entry('city', 800, null), entry('product', 2600, null)],
    };
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);
    await page.route('**/churn/drift', (route) => route.fulfill({ json: report }));
    await page.goto(`${running.server.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const bandOf = (feature: string) => page.locator(`#drift tbody tr[data-feature="${feature}"] td:nth-child(3)`).textContent();
    expect(await bandOf('recency_days')).toBe('stable');
    expect(await bandOf('city')).toBe('too few yet');
    expect(await bandOf('product')).toBe('not measured: needs 2,600 customers, the window holds 1,000');
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the drift of the customers scored since it started, each input with its PSI and band', async () => {
    // 250 customers the store holds: which ids have an event yet depends on the time of day
    // the demo seeded (its last simulated day ends at that moment), and only known customers
    // have inputs to count.
    const file = new Database(join(running.workDir, 'data', 'churnkit.sqlite'), { readonly: true });
    const known = file.prepare('SELECT customer_id FROM customers ORDER BY customer_id LIMIT 250').pluck().all() as string[];
    file.close();
    expect(known).toHaveLength(250);
    const items = known.map((customerId) => ({ customerId }));
    const scored = await fetch(`${running.server.url}/churn/score/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items }) });
    expect(scored.status).toBe(200);
    const problems: string[] = [];
    const page = await watchedPage(running.context, problems);
    await page.goto(`${running.server.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.locator('#drift-summary').textContent()).toMatch(/^Over the last 250 customers scored\.$/);
    const rows = page.locator('#drift tbody tr');
    expect(await rows.count()).toBe(11);
    expect(await rows.first().getAttribute('data-feature')).toBe('score');
    const values = (await page.locator('#drift tbody tr td:nth-child(2)').allTextContents()).map(Number);
    expect(values.every((value) => Number.isFinite(value) && value >= 0)).toBe(true);
    const bands = await page.locator('#drift tbody .band').allTextContents();
    expect(bands.every((band) => ['stable', 'watch', 'act'].includes(band))).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(running.workDir, 'dashboard-drift.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
