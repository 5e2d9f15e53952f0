/** Finds the churnkit checkout from wherever this file runs (bench/ under vitest, dist/bench/ compiled). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChurnkitError } from '../src/errors.js';

export function repoRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'churnkit') return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new ChurnkitError('BENCH_NO_CHECKOUT', `no package.json named "churnkit" above ${fileURLToPath(import.meta.url)}; expected to run inside the churnkit checkout`);
    folder = parent;
  }
}
