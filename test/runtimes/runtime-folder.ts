/** A folder of its own inside the installed scratch project for one runtime's test, with the shared inputs in it. */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { installedPackage } from '../package/installed-package.js';
import { SHIPPED_MODEL } from './same-scores.js';

/** `<project>/<name>/` with `customers.json` and `model.json` (the shipped model) in it. */
export async function runtimeFolder(name: string, customers: readonly RawRecord[]): Promise<string> {
  const { project } = await installedPackage();
  const folder = join(project, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'customers.json'), JSON.stringify(customers));
  copyFileSync(SHIPPED_MODEL, join(folder, 'model.json'));
  return folder;
}
