import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ChurnkitError } from '../errors.js';

/**
 * Checks, before a long command does any work, that the folder `flag` names can be created
 * or written into: a path that is a file, or lies under one, would otherwise fail only
 * when the results are written, after minutes of training.
 */
export function requireOutputFolder(folder: string, flag: string): void {
  if (existsSync(folder)) {
    if (!statSync(folder).isDirectory()) throw unwritable(folder, `${flag} names a file, not a folder`);
    return;
  }
  let ancestor = dirname(resolve(folder));
  while (!existsSync(ancestor)) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) throw unwritable(folder, `${flag} lies under ${ancestor}, which is a file, not a folder`);
}

/**
 * Checks, before a long command does any work, that the file `flag` names can be written:
 * its folder exists (it is not created, so a typo in a deployment path is not silently
 * honoured) and the file itself is not a folder.
 */
export function requireOutputFileFolder(file: string, flag: string): void {
  const folder = dirname(resolve(file));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw unwritable(file, `${flag}'s folder ${dirname(file)} does not exist`);
  if (existsSync(file) && statSync(file).isDirectory()) throw unwritable(file, `${flag} names a folder, not a file`);
}

function unwritable(path: string, reason: string): ChurnkitError {
  return new ChurnkitError('OUTPUT_UNWRITABLE', `${path}: cannot write the output (${reason})`);
}
