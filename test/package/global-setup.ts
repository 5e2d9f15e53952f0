/**
 * One scratch folder per `vitest run` for the packed-and-installed package: created empty here,
 * filled on first use by `installedPackage()` (so runs that never need it never pay for it),
 * removed when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    installRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'churnkit-installed-'));
  project.provide('installRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
