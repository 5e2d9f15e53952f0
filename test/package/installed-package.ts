/**
 * The packed and installed package for the tests: packed and installed once per test run
 * (bench/installed-package.ts), by the first test file that asks (a lock folder keeps the
 * other worker waiting), then shared.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { packAndInstall, type InstalledPackage } from '../../bench/installed-package.js';

export { bunEnvironment, cleanEnvironment, denoEnvironment, npmInstall, type InstalledPackage } from '../../bench/installed-package.js';

export const REPO = resolve(import.meta.dirname, '../..');

/**
 * What a user of the plugins installs beside churnkit, at the ranges package.json states:
 * the optional peers of the Express plugin on Redis and of the Hono middleware (npm does not
 * install optional peers by itself), and the Node server a Hono app runs on, which is the
 * user's own choice (the range the benchmarks use).
 */
const PLUGIN_PEERS = (() => {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string>; devDependencies: Record<string, string> };
  return [
    ...['express', 'prom-client', 'redis', 'hono'].map((name) => `${name}@${manifest.peerDependencies[name]}`),
    `@hono/node-server@${manifest.devDependencies['@hono/node-server']}`,
  ];
})();

/** For the `beforeAll` that waits for the pack and install: about a minute here, several on a busy machine. */
export const INSTALL_TIMEOUT_MS = 600_000;

export async function installedPackage(): Promise<InstalledPackage> {
  const root = inject('installRoot');
  const ready = join(root, 'ready.json');
  const failed = join(root, 'failed.txt');
  try {
    mkdirSync(join(root, 'lock'));
  } catch {
    while (!existsSync(ready) && !existsSync(failed)) await new Promise((wake) => setTimeout(wake, 250));
    if (existsSync(failed)) throw new Error(readFileSync(failed, 'utf8'));
    return JSON.parse(readFileSync(ready, 'utf8')) as InstalledPackage;
  }
  try {
    const installed = packAndInstall(root, PLUGIN_PEERS);
    writeFileSync(ready, JSON.stringify(installed));
    return installed;
  } catch (error) {
    writeFileSync(failed, String((error as Error).message));
    throw error;
  }
}
