/**
 * churnkit as a user gets it: `npm pack` of this checkout, installed from the tarball into a
 * fresh project with nothing but the registry. Packed and installed once per test run, by the
 * first test file that asks (a lock folder keeps the other worker waiting), then shared.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';

export const REPO = resolve(import.meta.dirname, '../..');

/** The environment for npm and runtimes in the scratch project, without the outer `npm test`'s npm_* settings. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, NO_UPDATE_NOTIFIER: '1', ...extra };
}

export interface InstalledPackage {
  /** The scratch project: `node_modules/churnkit` is the installed tarball. */
  project: string;
  tarball: string;
  /** Files in the tarball, as `npm pack --json` lists them. */
  packedFiles: string[];
  /** Seconds `npm install <tarball>` took. */
  installSeconds: number;
}

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
    const installed = packAndInstall(root);
    writeFileSync(ready, JSON.stringify(installed));
    return installed;
  } catch (error) {
    writeFileSync(failed, String((error as Error).message));
    throw error;
  }
}

function packAndInstall(root: string): InstalledPackage {
  // --ignore-scripts: `npm test` has just built dist/ and build/ (pretest); prepare would build again.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], { cwd: REPO, env: cleanEnvironment(), encoding: 'utf8' })) as [{ filename: string; files: { path: string }[] }];
  const tarball = join(root, packed[0].filename);
  const project = join(root, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({
    name: 'churnkit-scratch-project',
    private: true,
    type: 'module',
    // SQLite's native build (about 70 s here) is the cost of the default Express store; this
    // project uses the core, the CLI and the plugin on Redis, so it does not pay it.
    allowScripts: { 'better-sqlite3': false },
  }, null, 2)}\n`);
  const started = performance.now();
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, env: cleanEnvironment(), encoding: 'utf8', timeout: 300_000 });
  if (install.status !== 0) throw new Error(`npm install ${tarball} failed in a fresh project (exit ${install.status}):\n${install.stderr}`);
  return { project, tarball, packedFiles: packed[0].files.map((file) => file.path), installSeconds: (performance.now() - started) / 1000 };
}
