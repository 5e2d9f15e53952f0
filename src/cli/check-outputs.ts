import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ChurnkitError } from '../errors.js';

/** A path a command will write: a file, or a folder it fills (created with its parents if missing). */
export interface PlannedOutput {
  path: string;
  kind: 'file' | 'folder';
  /**
   * The flag the path was given with, or how it was made from one ("the report beside
   * --out"): a command with several outputs names which one cannot be written.
   */
  flag: string;
}

/**
 * Refuses, before a command does any work, an output it could not write, or one that would
 * overwrite one of its inputs or another of its outputs: found after minutes of training, the
 * failure would leave some outputs written and the others not (or an input destroyed).
 * `OUTPUT_UNWRITABLE` names the path and why; `OUTPUT_CONFLICT` names both paths.
 *
 * @example
 * checkOutputs([{ path: flags.out, kind: 'file' }, { path: reportFile, kind: 'file' }], [flags.data]);
 */
export function checkOutputs(outputs: readonly PlannedOutput[], inputs: readonly string[] = []): void {
  const seen = new Map<string, string>();
  for (const output of outputs) {
    if (output.kind === 'file') checkFile(output);
    else checkFolder(output);
    const key = identity(output.path);
    const input = inputs.find((candidate) => identity(candidate) === key);
    if (input !== undefined) {
      throw new ChurnkitError('OUTPUT_CONFLICT', `${output.path}: the output is the input ${input}; writing it would destroy the input (choose another output path)`);
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new ChurnkitError('OUTPUT_CONFLICT', `${output.path}: the same path as the output ${earlier}; one would overwrite the other (choose two paths)`);
    }
    seen.set(key, output.path);
  }
}

function checkFile(output: PlannedOutput): void {
  const path = output.path;
  if (statOf(path)?.isDirectory()) throw unwritable(output, 'it is a directory');
  const folder = statOf(dirname(path));
  if (folder === undefined) throw unwritable(output, 'its folder does not exist');
  if (!folder.isDirectory()) throw unwritable(output, `${dirname(path)} is not a directory`);
}

/** A folder is created with its parents: the path, or its nearest existing ancestor, must be a directory. */
function checkFolder(output: PlannedOutput): void {
  const path = output.path;
  let existing = resolve(path);
  let stats = statOf(existing);
  while (stats === undefined && dirname(existing) !== existing) {
    existing = dirname(existing);
    stats = statOf(existing);
  }
  if (stats !== undefined && !stats.isDirectory()) throw unwritable(output, existing === resolve(path) ? 'it is a file' : `${existing} is a file`);
}

/** The same file under any spelling: the real path when it exists (links followed), else the absolute one. */
function identity(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function unwritable(output: PlannedOutput, reason: string): ChurnkitError {
  return new ChurnkitError('OUTPUT_UNWRITABLE', `${output.path}: cannot write the output ${output.kind} for ${output.flag} (${reason})`);
}
