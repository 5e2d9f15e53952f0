/**
 * Suites that need something a fresh machine may lack (the shared datasets, redis-server):
 * they run under their plain title when it is there, and are skipped under a title that says
 * why when it is not — never a green title that says "skipped".
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Requirement {
  readonly met: boolean;
  /** `name` when the requirement is met, `name (skipped: <reason>)` when the suite is skipped. */
  title(name: string): string;
}

export function requirement(met: boolean, reasonWhenUnmet: string): Requirement {
  return { met, title: (name) => (met ? name : `${name} (skipped: ${reasonWhenUnmet})`) };
}

/** A shared dataset under ../shared/datasets from the repository root (see its README), e.g. `sharedDataset('cdnow')`. */
export function sharedDataset(...path: string[]): Requirement & { readonly path: string } {
  const relative = ['shared', 'datasets', ...path].join('/');
  const absolute = fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
  return { ...requirement(existsSync(absolute), `../${relative} is absent`), path: absolute };
}
