/**
 * The demo as the browser tests meet it: the real server (`node dist/plugin/demo/server.js`,
 * what `npm start` runs) on a free port and a fresh data folder, and headless Debian Chromium
 * on a phone screen, with every console error, page error and failed request recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = resolve(import.meta.dirname, '../../..');
const SERVER = join(ROOT, 'dist/plugin/demo/server.js');
export const PHONE = { width: 390, height: 844 };
export const hasChromium = existsSync(CHROMIUM);

/** Starts `node dist/plugin/demo/server.js` on a free port (with `env` added); resolves with its URL once it listens. */
export function startServer(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run "npm run build" first (npm test does)`);
  const child = spawn(process.execPath, [SERVER], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', CHURNKIT_DATA_DIR: dataDir, CHURNKIT_ADMIN_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((ready, fail) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /demo store on (http:\/\/[\d.]+:\d+)\//.exec(output);
      if (listening) ready({ child, url: listening[1]! });
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => fail(new Error(`the demo server exited (${code}) before listening:\n${output}`)));
  });
}

/** A page that records console errors, page errors and failed requests. */
export async function watchedPage(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return page;
}

export const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/**
 * Headless Chromium on a phone screen with a fresh profile in `profileDir` (nothing from an
 * earlier run); `browser` adds to the context's options (another time zone, another viewport).
 */
export function launchPhone(profileDir: string, browser: BrowserContextOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    ...browser,
  });
}

/** The demo server and `launchPhone`'s Chromium, started before a suite's tests and stopped after them. */
export function demoInChromium(name: string, env: (workDir: string) => Promise<Record<string, string>> = async () => ({}), browser: BrowserContextOptions = {}) {
  const workDir = mkdtempSync(join(tmpdir(), `churnkit-${name}-`));
  const running = { server: undefined as unknown as { child: ChildProcess; url: string }, context: undefined as unknown as BrowserContext, workDir };
  beforeAll(async () => {
    [running.server, running.context] = await Promise.all([
      env(workDir).then((extra) => startServer(join(workDir, 'data'), extra)),
      launchPhone(join(workDir, 'chromium-profile'), browser),
    ]);
  }, 120_000);
  afterAll(async () => {
    await running.context?.close();
    const server = running.server;
    if (server && server.child.exitCode === null) {
      const exited = new Promise((done) => server.child.once('exit', done));
      server.child.kill('SIGTERM');
      await exited;
    }
    rmSync(workDir, { recursive: true, force: true });
  });
  return running;
}
