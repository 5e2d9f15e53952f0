/**
 * `npm start` builds only what is stale (scripts/build-if-stale.mjs), tried on a scratch
 * project whose build scripts stand in for tsc and asc and log each run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/build-if-stale.mjs');

/** Stand-ins for tsc and asc: write the outputs a real build would, and log the run. */
const FAKE_TSC = `import { readdirSync, mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
for (const name of readdirSync('src')) { mkdirSync('dist/src', { recursive: true }); writeFileSync('dist/src/' + name.replace(/\\.ts$/, '.js'), ''); }
appendFileSync('builds.log', 'ts\\n');`;
const FAKE_ASC = `import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
mkdirSync('build', { recursive: true }); writeFileSync('build/churnkit.simd.wasm', ''); writeFileSync('build/churnkit.scalar.wasm', '');
appendFileSync('builds.log', 'wasm\\n');`;
const FAKE_EMBED = `import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
mkdirSync('dist/wasm', { recursive: true }); for (const build of ['simd', 'scalar']) for (const form of ['node', 'inline']) writeFileSync('dist/wasm/' + build + '.' + form + '.js', '');
appendFileSync('builds.log', 'kernels\\n');`;

describe('npm start builds only what is older than its sources', () => {
  let project: string;
  let clock: number;

  /** Writes a file dated one second after the previous write, so every change is visibly newer. */
  function write(path: string, content = ''): void {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), content);
    clock += 1;
    utimesSync(join(project, path), clock, clock);
  }

  /** Runs the prestart script; returns the builds it ran and what it printed. */
  function start(): { builds: string[]; output: string } {
    writeFileSync(join(project, 'builds.log'), '');
    const run = spawnSync(process.execPath, [SCRIPT], { cwd: project, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    // Date what the builds wrote on the test's clock: a build happens after the sources it read.
    clock += 1;
    for (const folder of ['dist', 'build']) {
      for (const entry of readdirSync(join(project, folder), { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), clock, clock);
      }
    }
    return { builds: readFileSync(join(project, 'builds.log'), 'utf8').split('\n').filter(Boolean), output: run.stdout };
  }

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'churnkit-prestart-'));
    clock = Math.floor(Date.now() / 1000) - 10_000;
    write('package.json', JSON.stringify({ name: 'fixture', type: 'module', scripts: { 'build:ts': 'node fake-tsc.mjs', 'build:wasm': 'node fake-asc.mjs', 'build:kernels': 'node fake-embed.mjs' } }));
    write('fake-tsc.mjs', FAKE_TSC);
    write('fake-asc.mjs', FAKE_ASC);
    write('fake-embed.mjs', FAKE_EMBED);
    write('tsconfig.json', '{}');
    write('asconfig.json', '{}');
    write('assembly/index.ts', 'export function f(): void {}');
    write('src/a.ts', 'export const a = 1;');
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('builds everything on a fresh clone, then nothing on the next start', () => {
    expect(start().builds).toEqual(['wasm', 'ts', 'kernels']);
    const again = start();
    expect(again.builds).toEqual([]);
    expect(again.output).toContain('the build is up to date');
  });

  it('rebuilds only the TypeScript when a source changes or a file is added, only the kernel when assembly/ changes', () => {
    start();
    write('src/a.ts', 'export const a = 2;');
    expect(start()).toMatchObject({ builds: ['ts'], output: expect.stringContaining('src/a.ts changed') });
    write('src/b.ts', 'export const b = 1;');
    expect(start()).toMatchObject({ builds: ['ts'], output: expect.stringContaining('dist/src/b.js is missing') });
    write('assembly/index.ts', 'export function f(): i32 { return 1; }');
    expect(start().builds).toEqual(['wasm', 'kernels']);
    write('tsconfig.json', '{ "compilerOptions": {} }');
    expect(start().builds).toEqual(['ts']);
  });

  it('writes the inline kernels again when one is missing or older than its .wasm, without rebuilding the kernel', () => {
    start();
    rmSync(join(project, 'dist/wasm/scalar.node.js'));
    expect(start()).toMatchObject({ builds: ['kernels'], output: expect.stringContaining('dist/wasm/scalar.node.js is missing') });
    rmSync(join(project, 'dist/wasm/simd.inline.js'));
    expect(start()).toMatchObject({ builds: ['kernels'], output: expect.stringContaining('dist/wasm/simd.inline.js is missing') });
    write('build/churnkit.simd.wasm');
    expect(start()).toMatchObject({ builds: ['kernels'], output: expect.stringContaining('dist/wasm/simd.node.js is older than its kernel') });
  });
});
