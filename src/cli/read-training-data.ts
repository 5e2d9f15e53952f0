import { createHash } from 'node:crypto';
import type { ColumnKind } from '../data/column-kind.js';
import type { CsvTable } from '../data/csv-table.js';
import { decodeCsvBytes, readInputBytes } from '../data/read-csv-file.node.js';
import { parseCsvText } from '../data/parse-csv-text.node.js';
import { requireColumns } from '../data/require-columns.js';
import { withoutColumns } from '../data/without-columns.js';
import { InputError } from '../errors.js';
import { unusableFeatureNumber } from '../model/feature-number.js';
import { readLabels } from './read-labels.js';
import { numberedIdNotes } from './numbered-id-notes.js';
import { textColumnNotes } from './text-column-notes.js';
import { warn } from './warn.js';
import { requireBothClasses } from './require-both-classes.js';

/** A labelled training file: its records, 0/1 labels and the SHA-256 of the file as stored. */
export interface TrainingData {
  table: CsvTable;
  labels: Uint8Array;
  dataHash: string;
}

/**
 * Reads a training CSV: the target and id columns as text (labels may be
 * yes/no, ids may have leading zeros), other columns inferred, every label
 * checked with its file, line and row before any training starts, and both
 * classes required. The `exclude`d columns (`--exclude`) must be in the file and are
 * dropped from it; the data hash stays the file's. Text columns most likely meant otherwise
 * (numbers written with signs, dates, identifiers), and numeric columns named like an id with a
 * different value in every row (an id left in by a missing --id), are warned about on stderr.
 */
export async function readTrainingData(file: string, target: string, id: string | undefined, exclude: readonly string[] = []): Promise<TrainingData> {
  const kinds = new Map<string, ColumnKind>([[target, 'text']]);
  if (id !== undefined) kinds.set(id, 'text');
  // Read once: the table and the hash come from the same bytes, also from a pipe.
  const bytes = await readInputBytes(file);
  const read = parseCsvText(decodeCsvBytes(bytes), file, { kinds });
  if (id !== undefined) requireColumns(read, [id], 'the id column');
  requireColumns(read, exclude, 'named by --exclude');
  // The target and id are never features: excluding them too changes nothing.
  const table = withoutColumns(read, exclude.filter((column) => column !== target && column !== id));
  if (!table.columns.some((column) => column !== target && column !== id)) {
    const others = `the target${id === undefined ? '' : ' and id'} columns${exclude.length > 0 ? ' and those --exclude names' : ''}`;
    throw new InputError('INPUT_NO_FEATURES', `has no feature columns besides ${others}; expected at least one column describing customers`, { file });
  }
  requireUsableNumbers(table, target, id);
  const labels = readLabels(table, target);
  requireBothClasses(labels, { file, column: target });
  const dataHash = createHash('sha256').update(bytes).digest('hex');
  const notFeatures = new Set([target, ...(id !== undefined ? [id] : [])]);
  for (const note of [...numberedIdNotes(table, notFeatures), ...textColumnNotes(table, notFeatures)]) warn(note);
  return { table, labels, dataHash };
}

/** Refuses, before any training, a numeric cell no model can be fitted on (1e308: beyond half the largest double, LARGEST_FEATURE_MAGNITUDE), naming where it is. */
function requireUsableNumbers(table: CsvTable, target: string, id: string | undefined): void {
  const numeric = table.columns.filter((column) => column !== target && column !== id && table.kinds.get(column) === 'numeric');
  table.records.forEach((record, index) => {
    for (const column of numeric) {
      const unusable = unusableFeatureNumber(record[column]);
      if (unusable !== undefined) throw new InputError('INPUT_UNUSABLE_NUMBER', unusable, { file: table.file, line: table.lines[index]!, row: index + 1, column });
    }
  });
}
