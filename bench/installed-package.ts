/**
 * churnkit as a user gets it: `npm pack` of this checkout, installed from the tarball into a
 * fresh project with nothing but the registry (plus any `extra` packages, e.g. peers to measure
 * beside it). Shared by the runtime tests and the runtimes bench.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChurnkitError } from '../src/errors.js';
import { repoRoot } from './repo-root.js';

export interface InstalledPackage {
  /** The scratch project: `node_modules/churnkit` is the installed tarball. */
  project: string;
  tarball: string;
  /** Files in the tarball, as `npm pack --json` lists them. */
  packedFiles: string[];
  /** Seconds `npm install <tarball>` took. */
  installSeconds: number;
}

/** The environment for npm and runtimes in the scratch project, without an outer `npm test`'s npm_* settings. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, NO_UPDATE_NOTIFIER: '1', ...extra };
}

/** Deno's settings for a run from npm: its cache in `folder`, no update check, no prompt (a permission it lacks fails instead). */
export function denoEnvironment(folder: string): Record<string, string> {
  return { DENO_DIR: join(folder, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' };
}

/** Bun's settings for a run from npm: its install directory in `folder`, no telemetry. */
export function bunEnvironment(folder: string): Record<string, string> {
  return { BUN_INSTALL: join(folder, '.bun'), DO_NOT_TRACK: '1' };
}

/** Packs the checkout (already built: no scripts run) into `root` and installs it in `root/project`. */
export function packAndInstall(root: string, extra: readonly string[] = []): InstalledPackage {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], { cwd: repoRoot(), env: cleanEnvironment(), encoding: 'utf8' })) as [{ filename: string; files: { path: string }[] }];
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
  const installSeconds = npmInstall(project, [tarball, ...extra]);
  return { project, tarball, packedFiles: packed[0].files.map((file) => file.path), installSeconds };
}

/**
 * `npm install <packages>` in `project` (a folder with a package.json) from the registry and
 * any tarballs named; returns the seconds it took, or throws with npm's stderr.
 */
export function npmInstall(project: string, packages: readonly string[]): number {
  const started = performance.now();
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', ...packages], { cwd: project, env: cleanEnvironment(), encoding: 'utf8', timeout: 300_000 });
  if (install.status !== 0) throw new ChurnkitError('PACKAGE_INSTALL', `npm install ${packages.join(' ')} failed in ${project} (exit ${install.status}):\n${install.stderr}`);
  return (performance.now() - started) / 1000;
}
