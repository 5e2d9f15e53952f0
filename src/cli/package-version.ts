import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../node/package-root.js';

/**
 * The version in the nearest package.json above this file: the package's own,
 * whether the CLI runs from `src/` or from the published `dist/src/`.
 */
export function packageVersion(): string {
  const folder = packageRoot();
  if (folder === null) return 'unknown';
  return String((JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
}
