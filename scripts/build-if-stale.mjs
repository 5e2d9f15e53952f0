#!/usr/bin/env node
// `npm start`'s prestart: builds only what is older than its sources, so a second start
// does not spend half a minute rebuilding an unchanged kernel and TypeScript. A fresh clone
// (no build yet: `npm ci` builds nothing) and any edited, added or checked-out source still build.
//
// - TypeScript (`npm run build:ts`): when a .ts file under src/, plugin/, bench/ or scripts/ has no
//   dist/ .js beside it, or is newer than it, or tsconfig.json is newer than any of them.
// - The kernel (`npm run build:wasm`): when a file under assembly/, or asconfig.json, is
//   newer than one of the .wasm files (or one is missing).
// - The inline kernels Node, Bun and Deno import (`npm run build:kernels`, dist/wasm/*.node.js and
//   *.inline.js): when one is missing or older than the .wasm it carries, checked after the
//   kernel build above.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const KERNEL_BUILDS = ['simd', 'scalar'];
const WASM_OUTPUTS = KERNEL_BUILDS.map((build) => `build/churnkit.${build}.wasm`);

/** Files under `folder` (recursively) whose names pass `keep`. */
function filesUnder(folder, keep) {
  let entries;
  try {
    entries = readdirSync(join(root, folder), { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isFile() && keep(entry.name)).map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)));
}

/** Modification time in ms, or undefined for a missing file. */
function modified(path) {
  try {
    return statSync(join(root, path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Why the TypeScript build is out of date, or null. */
function staleTypeScript() {
  const config = modified('tsconfig.json') ?? 0;
  const sources = ['src', 'plugin', 'bench', 'scripts'].flatMap((folder) => filesUnder(folder, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts')));
  for (const source of sources) {
    const output = join('dist', source.replace(/\.ts$/, '.js'));
    const built = modified(output);
    if (built === undefined) return `${output} is missing`;
    if (built < modified(source)) return `${source} changed`;
    if (built < config) return 'tsconfig.json changed';
  }
  return null;
}

/** Why the kernel build is out of date, or null. */
function staleKernel() {
  const newest = Math.max(modified('asconfig.json') ?? 0, ...filesUnder('assembly', () => true).map((path) => modified(path) ?? 0));
  for (const output of WASM_OUTPUTS) {
    const built = modified(output);
    if (built === undefined) return `${output} is missing`;
    if (built < newest) return 'the kernel sources changed';
  }
  return null;
}

/** Why the inline kernels are older than the .wasm files they carry, or null. */
function staleInlineKernels() {
  for (const build of KERNEL_BUILDS) {
    for (const inline of [`dist/wasm/${build}.node.js`, `dist/wasm/${build}.inline.js`]) {
      const written = modified(inline);
      if (written === undefined) return `${inline} is missing`;
      if (written < (modified(`build/churnkit.${build}.wasm`) ?? 0)) return `${inline} is older than its kernel`;
    }
  }
  return null;
}

function run(script, reason) {
  console.log(`churnkit: ${reason}: npm run ${script}`);
  const result = spawnSync('npm', ['run', script], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const kernel = staleKernel();
const typescript = staleTypeScript();
if (kernel) run('build:wasm', kernel);
if (typescript) run('build:ts', typescript);
// Checked after both builds: the kernel build dates the .wasm files, and the writer is compiled TypeScript.
const inlineKernels = staleInlineKernels();
if (inlineKernels) run('build:kernels', inlineKernels);
if (!kernel && !typescript && !inlineKernels) console.log('churnkit: the build is up to date with its sources (npm run build rebuilds everything)');
