/**
 * A scratch project holding one of docs/examples/edge's files, as a user would have it: the
 * example, the shipped model saved as `churn-model.json`, and `node_modules/churnkit`
 * (plus hono) pointing at this checkout, whose built `dist/` and `build/` the package
 * exports resolve to.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../../..');
export const EXAMPLES = join(REPO, 'docs', 'examples', 'edge');

export interface ExampleProject {
  dir: string;
  /** The example's path inside the project. */
  entry: string;
  remove(): void;
}

/** Copies `docs/examples/edge/<example>` into a fresh scratch project. */
export function exampleProject(example: string): ExampleProject {
  const dir = mkdtempSync(join(tmpdir(), 'churnkit-edge-example-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'churnkit'), 'dir');
  symlinkSync(join(REPO, 'node_modules', 'hono'), join(dir, 'node_modules', 'hono'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'edge-example', private: true, type: 'module', dependencies: { churnkit: '*', hono: '*' } }));
  copyFileSync(join(REPO, 'models', 'storefront.json'), join(dir, 'churn-model.json'));
  const entry = join(dir, basename(example));
  copyFileSync(join(EXAMPLES, example), entry);
  return { dir, entry, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
