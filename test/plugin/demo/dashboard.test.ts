import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../../../plugin/demo/server.js';
import { writeQuickModel } from './quick-model.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Dashboard browser test skipped: ${CHROMIUM} is absent (CI installs Debian's chromium).`);

describe.skipIf(!hasChromium)('demo dashboard in headless Chromium', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'churnkit-dashboard-'));
  let demo: RunningDemo;
  let browser: Browser;

  beforeAll(async () => {
    const modelPath = await writeQuickModel(workDir);
    [demo, browser] = await Promise.all([
      startDemo({ port: 0, dataDir: join(workDir, 'data'), modelPath, customers: 600, log: () => {} }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('renders the risk chart, the at-risk customers with reasons, retention and budget, without errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request: ${request.url()} ${request.failure()?.errorText}`));

    await page.goto(`${demo.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });

    const bars = page.locator('#risk-svg rect.risk-bar');
    expect(await bars.count()).toBe(20);
    const heights = await bars.evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('height'))));
    expect(heights.some((height) => height > 0)).toBe(true);
    expect(heights.every((height) => Number.isFinite(height))).toBe(true);

    const atRisk = page.locator('#at-risk tbody tr');
    expect(await atRisk.count()).toBeGreaterThan(0);
    const firstRow = await atRisk.first().locator('td').allTextContents();
    expect(firstRow[0]).toMatch(/^C\d+$/);
    expect(firstRow[1]).toMatch(/^\d+\.\d %$/);
    expect(await atRisk.first().locator('.reasons li').count()).toBeGreaterThan(0);

    expect(await page.locator('#retention tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#budget').textContent()).toMatch(/\d+\.\d{2}/);
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(await page.locator('body').textContent()).not.toMatch(/NaN|undefined/);

    const screenshot = join(tmpdir(), 'churnkit-dashboard.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    // A blank 1280-pixel-wide page compresses to a few kilobytes; charts, tables and text do not.
    expect(statSync(screenshot).size).toBeGreaterThan(40_000);
    expect(problems).toEqual([]);
    await page.close();
  });
});
