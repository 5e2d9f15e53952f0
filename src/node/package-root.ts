/** Finding files shipped in this package: the kernel builds, the storefront model, its version. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the nearest package.json above this file: the package's root, whether
 * it runs as `src/node/package-root.ts` in tests, as `dist/src/node/package-root.js`
 * installed, or bundled into `dist/cli/`. Null if there is none (a copy outside a package).
 *
 * @example
 * join(packageRoot()!, 'models', 'storefront.json');
 */
export function packageRoot(): string | null {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) return null;
    folder = parent;
  }
  return folder;
}

/**
 * The storefront model shipped with churnkit (`models/storefront.json`), where commands and
 * the demo find it wherever they are run from.
 */
export function shippedStorefrontModel(): string {
  return join(packageRoot() ?? '.', 'models', 'storefront.json');
}
