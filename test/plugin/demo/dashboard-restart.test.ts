/**
 * The dashboard when its server stops while the page loads its data, and comes back on the
 * same port (a restart, a deploy): the page says so at the top, where the owner looks, and
 * draws itself once the server answers again, without a reload. The demo runs in this
 * process (`startDemo`), so the test can stop and start it; Chromium on a phone screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../../../plugin/demo/server.js';
import { CHROMIUM, hasChromium, launchPhone, watchedPage } from './demo-in-chromium.js';

if (!hasChromium) console.warn(`Dashboard restart browser test skipped: ${CHROMIUM} is absent (CI installs Debian's chromium).`);

describe.skipIf(!hasChromium)('the dashboard when its server restarts under it, in Chromium (needs /usr/bin/chromium)', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'churnkit-dashboard-restart-'));
  const dataDir = join(workDir, 'data');
  let demo: RunningDemo | undefined;
  let context: BrowserContext;

  beforeAll(async () => {
    [demo, context] = await Promise.all([startDemo({ port: 0, dataDir, customers: 50, log: () => {} }), launchPhone(join(workDir, 'chromium-profile'))]);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await demo?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('says at the top that the server did not answer, and draws itself once the server is back', async () => {
    const url = demo!.url;
    const port = Number(new URL(url).port);
    const problems: string[] = [];
    const page = await watchedPage(context, problems);
    let stopped = false;
    // The server stops just as the page asks for its data: the request finds nobody listening.
    await page.route('**/demo/dashboard.json', async (route) => {
      if (!stopped) {
        stopped = true;
        await demo!.close();
        demo = undefined;
      }
      await route.continue();
    });
    await page.goto(`${url}/`);
    const error = page.locator('#error');
    await expect.poll(() => error.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await error.textContent()).toMatch(/^Could not load the dashboard: .+\. Trying again in \d+ s\.$/);
    // In the header, above the panels, not under the last of them.
    const [errorTop, mainTop] = await page.evaluate(() => [document.getElementById('error')!, document.querySelector('main')!].map((node) => node.getBoundingClientRect().top));
    expect(errorTop).toBeLessThan(mainTop!);

    demo = await startDemo({ port, dataDir, log: () => {} });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await error.isVisible()).toBe(false);
    expect(await page.locator('#summary').textContent()).toMatch(/^\d+ customers · model /);
    // What the stopped server caused, and nothing else: its data refused, and any request still
    // in flight when it stopped (the favicon, when the page asked for it late) reset.
    expect(problems.filter((problem) => !/dashboard\.json|Failed to fetch|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET/.test(problem))).toEqual([]);
    await page.close();
  });
});
