import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { buildReport } from '../../src/report/build-report.js';
import { renderReportHtml } from '../../src/report/html/render-report-html.js';
import { train } from '../../src/train/train.js';
import { syntheticCustomers } from '../model/synthetic-customers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`The report browser test did not run: ${CHROMIUM} is absent (CI installs Debian's chromium).`);
/** Screenshots kept for people to look at (git-ignored). */
const SCREENSHOTS = resolve(import.meta.dirname, '../../test-output');

describe.skipIf(!hasChromium)('the report page in headless Chromium, opened from a file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'churnkit-report-browser-'));
  const reportFile = join(folder, 'report.html');
  let context: BrowserContext;

  beforeAll(async () => {
    const rows = syntheticCustomers(900, 5);
    const { model } = await train(rows.slice(0, 600), { engine: createJsEngine(), target: 'Churn', id: 'CustomerID', epochs: 15, hidden: [16] });
    const records = rows.slice(600);
    const data = buildReport({
      model,
      records,
      labels: records.map((row) => Number(row['Churn'])),
      probabilities: model.predictBatch(records),
      economics: { actionCost: 10, retainedValue: 100, successRate: 0.3 },
      segments: ['PaymentMode', 'CashbackAmount'],
      source: { model: 'model.json', data: 'test.csv', scoring: 'held-out' },
    });
    model.dispose();
    writeFileSync(reportFile, renderReportHtml(data));
    context = await chromium.launchPersistentContext(join(folder, 'profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await context?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Opens the report at a viewport size, collecting anything that went wrong or left the file. */
  async function open(width: number, height: number): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (request.url() !== pathToFileURL(reportFile).href) problems.push(`request: ${request.url()}`);
    });
    await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
    return { page, problems };
  }

  it('on a laptop: draws every chart with its title, description, axes and legend, without errors or requests', async () => {
    const { page, problems } = await open(1280, 900);
    const charts = page.locator('figure.chart svg.chart-svg');
    expect(await charts.count()).toBe(8);
    const sizes = await charts.evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().width));
    for (const width of sizes) expect(width).toBeGreaterThan(300);
    const labelled = await charts.evaluateAll((svgs) => svgs.every((svg) => svg.querySelector('title')?.textContent && (svg.querySelector('desc')?.textContent?.length ?? 0) > 40));
    expect(labelled).toBe(true);
    // Curves are drawn with real coordinates, bars with real heights.
    const roc = await page.locator('#chart-roc path.series').last().getAttribute('d');
    expect(roc!.split('L').length).toBeGreaterThan(20);
    expect(roc).not.toMatch(/NaN|Infinity/);
    const bars = await page.locator('#chart-histogram rect.bar').evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('height'))));
    expect(bars.some((height) => height > 10)).toBe(true);
    expect(await page.locator('#chart-importance rect.bar').count()).toBe(4);
    expect(await page.locator('.legend li').count()).toBeGreaterThan(15);
    expect(await page.locator('table').count()).toBeGreaterThan(10);
    expect(await page.locator('body').textContent()).not.toMatch(/NaN|undefined|Infinity/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'report-laptop.png'), fullPage: true });
    // A blank page compresses to a few kilobytes; charts, tables and text do not.
    expect(statSync(join(SCREENSHOTS, 'report-laptop.png')).size).toBeGreaterThan(100_000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('on a phone: one column, no sideways scrolling of the page, charts as wide as the screen', async () => {
    const { page, problems } = await open(390, 844);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const widths = await page.locator('figure.chart svg.chart-svg').evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().width));
    for (const width of widths) expect(width).toBeGreaterThan(300);
    // Chart text is enlarged on a small screen: a tick label is at least 9 CSS pixels tall.
    const tickHeight = await page.locator('#chart-roc text.tick').first().evaluate((text) => text.getBoundingClientRect().height);
    expect(tickHeight).toBeGreaterThanOrEqual(9);
    await page.screenshot({ path: join(SCREENSHOTS, 'report-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("on a 375-pixel phone: the profit card's long input names wrap rather than push their values past the screen", async () => {
    const { page, problems } = await open(375, 667);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const values = await page.locator('.inputs dd').evaluateAll((values) => values.map((value) => value.getBoundingClientRect().right));
    expect(values.length).toBe(4);
    for (const right of values) expect(right).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
    await page.close();
  });
});
