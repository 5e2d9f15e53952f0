/**
 * The words of a feature table's columns (docs/model-format.md, "Display words") in a JSON
 * file beside the table: `churnkit features` writes `features.display.json` beside
 * `features.csv`, and `churnkit train` / `tune` read the one beside `--data`, then any
 * `--display <json>` a data person wrote (its words win), so the model file carries them.
 */
import { existsSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { FeatureDisplay } from '../features/feature-display.js';
import type { ModelFileV1 } from '../model/model-file-schema.js';
import { checkFeatureDisplays, formatPath, SchemaViolation } from '../model/model-file-schema.js';
import { writeFileAtomically } from '../node/write-file-atomically.js';

/** Feature name → its words. */
export type FeatureWords = Record<string, FeatureDisplay>;

/** A words file is a few kilobytes; anything this large is not one. */
const MAX_WORDS_FILE_BYTES = 4 * 2 ** 20;

/**
 * The words file beside a feature table: `features.csv` → `features.display.json`. A table
 * that is no file but a device or a pipe (`--out /dev/stdout`, `--data /dev/stdin`, a named
 * pipe) has nothing beside it: undefined. Else `features --out /dev/stdout` wrote a stray
 * `/dev/stdout.display.json` into /dev, or failed there once the table was written.
 *
 * @example
 * wordsFileBeside('out/features.csv'); // 'out/features.display.json'
 * wordsFileBeside('/dev/stdout'); // undefined
 */
export function wordsFileBeside(table: string): string | undefined {
  let stats: Stats | undefined;
  try {
    stats = statSync(table);
  } catch {
    // A file still to be written.
  }
  return stats === undefined || stats.isFile() ? `${table.replace(/\.csv$/i, '')}.display.json` : undefined;
}

/**
 * Writes `words` beside `table` (atomically) and returns the file's name (undefined for a table with nothing beside it).
 *
 * @example
 * await writeWordsBeside('features.csv', EVENT_FEATURE_DISPLAY); // 'features.display.json'
 */
export async function writeWordsBeside(table: string, words: Readonly<FeatureWords>): Promise<string | undefined> {
  const file = wordsFileBeside(table);
  if (file === undefined) return undefined;
  // One feature a line: easy to find, edit or translate.
  const lines = Object.entries(words).map(([name, entry]) => `  ${JSON.stringify(name)}: ${JSON.stringify(entry)}`);
  await writeFileAtomically(file, `{\n${lines.join(',\n')}\n}\n`);
  return file;
}

/**
 * The words for training on `data` (whose columns are `columns`): the file beside it, if there
 * is one, under the `display` file, if given (which must exist). Each is checked as a model
 * file would check it (`InputError` `INPUT_DISPLAY_WORDS` naming the file and the entry);
 * `files` lists the ones read. The file beside the data was written for the whole table, so
 * its words for columns since removed are left out; the `display` file's words must each name
 * a feature column (`train` says so otherwise).
 *
 * @example
 * const { words, files } = await readFeatureWords('features.csv', undefined, table.columns); // reads features.display.json if present
 */
export async function readFeatureWords(data: string, display: string | undefined, columns: readonly string[]): Promise<{ words: FeatureWords; files: string[] }> {
  const beside = wordsFileBeside(data);
  const files: string[] = [];
  let words: FeatureWords = {};
  if (beside !== undefined && existsSync(beside)) {
    const present = new Set(columns);
    words = Object.fromEntries(Object.entries(await readWordsFile(beside)).filter(([name]) => present.has(name)));
    files.push(beside);
  }
  if (display !== undefined) {
    words = { ...words, ...(await readWordsFile(display)) };
    files.push(display);
  }
  return { words, files };
}

async function readWordsFile(file: string): Promise<FeatureWords> {
  const refuse = (why: string): never => {
    throw new InputError('INPUT_DISPLAY_WORDS', `${why}; expected a JSON object of feature name → { label, unit?, scale?, decimals?, cases?, text? } (docs/model-format.md, "Display words")`, { file });
  };
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return refuse('cannot read the words file');
  }
  if (size > MAX_WORDS_FILE_BYTES) refuse(`the file is ${size} bytes, more than a words file holds (${MAX_WORDS_FILE_BYTES})`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return refuse(`not JSON (${(error as Error).message})`);
  }
  try {
    checkFeatureDisplays(value, []);
  } catch (error) {
    if (!(error instanceof SchemaViolation)) throw error;
    refuse(`${formatPath(error.path)}: ${error.message}`);
  }
  return value as FeatureWords;
}

/**
 * How many of a model's features it explains in words, and which words files were read.
 *
 * @example
 * describeWords(file, ['features.display.json']); // 'words for 47 of 47 features (read features.display.json)'
 */
export function describeWords(file: ModelFileV1, files: readonly string[]): string {
  const features = file.featureSpec.columns.length;
  const display = file.metadata.options.display;
  const worded = display === undefined ? 0 : Object.keys(display as object).length;
  if (worded === 0) return `no words for the ${features} features: reasons name them as they are (--display gives words)`;
  return `words for ${worded} of ${features} features${files.length > 0 ? ` (read ${files.join(' and ')})` : ''}`;
}
