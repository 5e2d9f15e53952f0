/**
 * docs/runtimes.md's page and Web Worker in headless Chromium (Debian's, through
 * playwright-core), served on loopback from the installed package under the doc's strict
 * Content-Security-Policy (no 'unsafe-eval', no 'unsafe-inline'). Any CSP violation (reported
 * by the browser to the server, seen in the page or in the console) or console error fails it.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { installedPackage, INSTALL_TIMEOUT_MS } from '../package/installed-package.js';
import { writeDocExamples } from './doc-examples.js';
import { runtimeFolder } from './runtime-folder.js';
import { expectSameScores, nodeProbabilities, thousandCustomers, type RuntimeAnswer } from './same-scores.js';

const CHROMIUM = '/usr/bin/chromium';
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

let customers: RawRecord[];
let reference: number[];
let browser: Browser;
let server: Server;
let origin: string;
let policy: string;
/** Violation reports the browser sent to the server's report-uri. */
const reports: string[] = [];

/** Serves the doc's page from `folder` and the installed package from the project's node_modules, every response under `csp()`. */
function serve(folder: string, project: string, csp: () => string): Promise<Server> {
  const running = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'POST' && path === '/csp-report') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        reports.push(body);
        response.writeHead(204).end();
      });
      return;
    }
    if (path === '/favicon.ico') {
      response.writeHead(204).end(); // browsers ask for one; the example page has none
      return;
    }
    const relative = normalize(path === '/' ? 'index.html' : path.slice(1));
    const file = relative.startsWith('node_modules/') ? join(project, relative) : join(folder, relative);
    if (relative.startsWith('..') || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': `${csp()}; report-uri /csp-report`,
    });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => running.listen(0, '127.0.0.1', () => resolve(running)));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is absent: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  customers = await thousandCustomers();
  reference = await nodeProbabilities(customers);
  const folder = await runtimeFolder('chromium', customers);
  const examples = writeDocExamples(folder, ['index.html', 'main.js', 'score-worker.js', 'csp.txt']);
  for (const file of ['hostile-records.html', 'hostile-records.js']) copyFileSync(join(import.meta.dirname, file), join(folder, file));
  const documented = examples['csp.txt']!.trim();
  expect(documented).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
  policy = documented;
  server = await serve(folder, (await installedPackage()).project, () => policy);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium([]);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** Debian's Chromium, headless, with `extraArgs` after the usual ones. */
function launchChromium(extraArgs: readonly string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    // launch() gives every browser a fresh, throwaway profile of its own (no --user-data-dir to pass).
  });
}

/** Opens the page at `path` (in `inBrowser`, default the suite's browser) and collects every error and CSP violation it, its worker or the server sees. */
async function openPage(path = '/', inBrowser: Browser = browser): Promise<{ page: Page; problems: string[] }> {
  const page = await inBrowser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request: ${request.url()} ${request.failure()?.errorText}`));
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`securitypolicyviolation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation: (text: string) => void }).reportViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  await page.goto(`${origin}${path}`);
  return { page, problems };
}

describe('headless Chromium under a strict Content-Security-Policy', () => {
  it('scores the 1,000 customers on the main thread and in a module Web Worker on the SIMD kernel, as Node does, with no violation or error', async () => {
    reports.length = 0;
    const { page, problems } = await openPage();
    await page.waitForFunction(() => document.querySelector('#result')?.textContent?.startsWith('{'), undefined, { timeout: 30_000 });
    const result = JSON.parse((await page.textContent('#result'))!) as { mainThread: RuntimeAnswer; worker: RuntimeAnswer };
    expectSameScores(result.mainThread, reference, 'wasm-simd');
    expectSameScores(result.worker, reference, 'wasm-simd');
    await page.close();
    expect(problems).toEqual([]);
    expect(reports).toEqual([]);
  });

  it('scores them on the scalar kernel when V8 runs without SIMD (--no-enable-sse4-1, as on a CPU without SSE4.1), as Node does to 1e-6', async () => {
    reports.length = 0;
    const withoutSimd = await launchChromium(['--js-flags=--no-enable-sse4-1']);
    try {
      const { page, problems } = await openPage('/', withoutSimd);
      await page.waitForFunction(() => document.querySelector('#result')?.textContent?.startsWith('{'), undefined, { timeout: 30_000 });
      const result = JSON.parse((await page.textContent('#result'))!) as { mainThread: RuntimeAnswer; worker: RuntimeAnswer };
      expectSameScores(result.mainThread, reference, 'wasm-scalar');
      expectSameScores(result.worker, reference, 'wasm-scalar');
      expect(problems).toEqual([]);
    } finally {
      await withoutSimd.close();
    }
    expect(reports).toEqual([]);
  });

  it("the check can fail: without 'wasm-unsafe-eval' the violation is caught and loadEngine's EngineError says why", async () => {
    reports.length = 0;
    const strict = policy;
    policy = strict.replace(" 'wasm-unsafe-eval'", '');
    try {
      const { page, problems } = await openPage();
      await expect.poll(() => problems.join('\n'), { timeout: 20_000 }).toMatch(/EngineError|kernel failed to compile/);
      expect(problems.join('\n')).toMatch(/wasm-unsafe-eval/);
      await page.close();
    } finally {
      policy = strict;
    }
  });

  it('answers every record a page may hold with a probability in [0, 1] or an InputError, and refuses what is not a record (an array of customers included) rather than scoring it', async () => {
    reports.length = 0;
    const { page, problems } = await openPage('/hostile-records.html');
    await page.waitForFunction(() => document.querySelector('#result')?.textContent?.startsWith('{'), undefined, { timeout: 30_000 });
    const { engine, result } = JSON.parse((await page.textContent('#result'))!) as { engine: string; result: Record<string, Record<'predict' | 'explain', Record<string, unknown>>> };
    await page.close();
    expect(engine).toBe('wasm-simd');
    const notRecords = ['null', 'undefined', 'a string', 'a number', 'an empty array', 'the array of customers itself'];
    expect(Object.keys(result)).toEqual(expect.arrayContaining(notRecords));
    for (const [name, answers] of Object.entries(result)) {
      if (notRecords.includes(name)) {
        expect(answers, name).toEqual({ predict: { error: 'InputError', code: 'INPUT_NOT_RECORD' }, explain: { error: 'InputError', code: 'INPUT_NOT_RECORD' } });
        continue;
      }
      expect(answers.predict.probability, name).toBeGreaterThanOrEqual(0);
      expect(answers.predict.probability, name).toBeLessThanOrEqual(1);
      expect(answers.explain, name).toEqual({ contributions: expect.any(Number), finite: true });
    }
    expect(problems).toEqual([]);
    expect(reports).toEqual([]);
  });
});
