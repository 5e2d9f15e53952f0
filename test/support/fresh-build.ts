/**
 * Tests that run built code (the CLI from dist/, the bench children, the kernel from build/)
 * must not run a stale build: a source edited after `npm run build` would otherwise be tested
 * by its old compiled self. `npm test` builds first (pretest); running test files alone, these
 * checks fail the file with the command to run instead of passing on old code. The rule is
 * per file: every source must have its output, at least as new.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const checked = new Set<string>();

function sourcesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(ROOT, folder, name));
}

function requireNewer(what: string, pairs: [source: string, output: string][], command: string): void {
  if (checked.has(what)) return;
  for (const [source, output] of pairs) {
    const stale = !existsSync(output) || statSync(output).mtimeMs < statSync(source).mtimeMs;
    if (stale) {
      throw new Error(`${relative(ROOT, output)} is ${existsSync(output) ? 'older than' : 'missing for'} ${relative(ROOT, source)}: run "${command}" (npm test does it first)`);
    }
  }
  checked.add(what);
}

/** Every TypeScript file of src/, plugin/ and bench/ has its compiled dist/ file, at least as new. */
export function requireFreshDist(): void {
  const sources = ['src', 'plugin', 'bench'].flatMap(sourcesUnder);
  requireNewer('dist', sources.map((source) => [source, join(ROOT, 'dist', relative(ROOT, source)).replace(/\.ts$/, '.js')]), 'npm run build:ts');
}

/** The bundled CLI (dist/cli/churnkit.js, the package's bin) is at least as new as every source it bundles. */
export function requireFreshCli(): void {
  requireFreshDist();
  const bundle = join(ROOT, 'dist', 'cli', 'churnkit.js');
  requireNewer('cli', ['src', 'plugin'].flatMap(sourcesUnder).map((source): [string, string] => [source, bundle]), 'npm run build');
}

/** Both kernel builds are at least as new as every file of assembly/. */
export function requireFreshKernel(): void {
  const sources = sourcesUnder('assembly');
  const builds = ['churnkit.simd.wasm', 'churnkit.scalar.wasm'].map((name) => join(ROOT, 'build', name));
  requireNewer('kernel', sources.flatMap((source) => builds.map((build): [string, string] => [source, build])), 'npm run build:wasm');
}
