import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { armsOf, type UpliftMethod } from '../uplift/uplift-role.js';

/**
 * Removes the model files an earlier `churnkit uplift` left in `<out>/<method>/` that this run
 * did not write again (an action skipped or failed this time, or no longer logged): the
 * plugin loads every `.json` of the folder, so such a file would serve a model trained on
 * older decisions beside this run's, with nothing to tell them apart. Only names of the
 * method's own files (`<action>.<arm>.json`) are touched; anything else in the folder stays.
 * Returns the paths removed, in order.
 */
export async function removeEarlierUpliftFiles(out: string, methods: readonly UpliftMethod[], written: readonly string[]): Promise<string[]> {
  const kept = new Set(written);
  const removed: string[] = [];
  for (const method of methods) {
    const folder = join(out, method);
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const suffixes = armsOf(method).map((arm) => `.${arm}.json`);
    for (const name of names.sort()) {
      const path = join(folder, name);
      if (kept.has(path) || !suffixes.some((suffix) => name.endsWith(suffix) && name.length > suffix.length)) continue;
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}
