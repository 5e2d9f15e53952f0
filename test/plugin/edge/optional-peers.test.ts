/**
 * express, prom-client, better-sqlite3 and redis are optional peer dependencies: a project
 * that uses an entry needing one it did not install gets an error naming the package and
 * the command that installs it. Run in fresh Node processes where the package cannot be
 * resolved (module hooks hide it, as if it were not installed).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from './example-project.js';

const HOOKS = pathToFileURL(join(REPO, 'test', 'plugin', 'edge', 'hide-packages.mjs')).href;
const REGISTER = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(HOOKS)});`;

/** Runs `script` (an ES module) in the package root with `hidden` unresolvable; what it printed and its exit code. */
function runWithout(hidden: string, script: string) {
  const run = spawnSync(process.execPath, ['--import', REGISTER, '--input-type=module', '-e', script], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, CHURNKIT_HIDDEN_PACKAGES: hidden },
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

const report = (work: string) => `try { ${work}; console.log('loaded'); } catch (error) { console.log(error.code + ': ' + error.message); process.exitCode = 3; }`;

describe('a missing optional peer dependency', () => {
  it.each([
    ['redis', "await import('churnkit/stores/redis')"],
    ['better-sqlite3', "await import('churnkit/stores/sqlite')"],
    ['express', "await import('churnkit/express')"],
    ['prom-client', "await import('churnkit/express')"],
  ])('"%s" is named, with its npm install command', (name, work) => {
    const run = runWithout(name, report(work));
    expect(run.output).toContain(`PEER_DEPENDENCY_MISSING`);
    expect(run.output).toContain(`needs the "${name}" package, which is not installed: run "npm install ${name}"`);
    expect(run.status).toBe(3);
  });

  it('does not stop a storefront that brings its own store: churnkit/express loads without better-sqlite3 or redis', () => {
    const run = runWithout('better-sqlite3,redis', report("await import('churnkit/express')"));
    expect(run.output.trim()).toBe('loaded');
  });

  it('fails ready() naming better-sqlite3 when the default SQLite store is needed', () => {
    const script = `const { churn } = await import('churnkit/express');
      const { mkdtempSync } = await import('node:fs');
      const dataDir = mkdtempSync((await import('node:os')).tmpdir() + '/churnkit-peer-');
      const plugin = churn({ model: (await import('node:path')).join(process.cwd(), 'models/storefront.json'), identify: () => null, dataDir });
      ${report('await plugin.ready()')}
      (await import('node:fs')).rmSync(dataDir, { recursive: true, force: true });`;
    const run = runWithout('better-sqlite3', script);
    expect(run.output).toContain('needs the "better-sqlite3" package, which is not installed: run "npm install better-sqlite3"');
  });
});
