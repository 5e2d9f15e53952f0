import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { InputError } from '../../errors.js';
import { EVENT_FORMATS, type EventFormat, type EventProblem } from '../../events/read-events.node.js';
import { readEventColumns } from '../../features/read-event-columns.node.js';
import { resolveChurnLabel } from '../../features/churn-label.js';
import { computeBatchFeatures, type BatchFeatures } from '../../features/batch-features.node.js';
import { FEATURE_NAMES } from '../../features/feature-definitions.js';
import { tableColumns } from '../../features/usual-time-columns.js';
import { EVENT_FEATURE_DISPLAY } from '../../features/feature-display.js';
import { wordsFileBeside, writeWordsBeside } from '../feature-words-file.js';
import { toCsvLine } from '../csv-line.js';
import { showStep, startFileProgress } from '../progress.js';
import { checkOutputs } from '../check-outputs.js';
import { writeFileAtomically } from '../../node/write-file-atomically.js';
import { asOfTime, duration, eventTime } from '../option-parsers.js';
import { resolveEventTimePolicy } from '../../events/event-time-policy.js';

interface FeaturesOptions {
  events: string;
  format: EventFormat;
  asOf: string;
  horizon: string;
  gap: string;
  active: string;
  out: string;
  strict?: boolean;
  earliest?: number;
}

/** Invalid rows listed on stderr before the rest is summarised as a count. */
const LISTED_PROBLEMS = 10;

/**
 * `churnkit features --events <file> [--format csv|jsonl|cdnow] --as-of <date> --horizon <dur>
 * [--gap <dur>] [--active <types>] [--strict] --out <csv>`: one row per eligible customer
 * (at least one event before the cut-off) with the features of docs/events.md computed from
 * events before the cut-off only, and the label `churned` (1 = no active event in
 * [cut-off + gap, cut-off + horizon)) when the log reaches the end of that window. Prints the
 * eligible population and churn rate to stderr, and the usual-time columns it left out because
 * the log cannot show them (`tableColumns`). Beside the table, `<out>.display.json` holds the
 * features' words (label, formatting, phrases), which `churnkit train` reads.
 *
 * @example
 * churnkit features --events CDNOW_master.txt --format cdnow --as-of 1997-09-30 --horizon 39w --out features.csv
 * // 69659 events, 23570 eligible customers, churn rate 70.06 % (16512 churned; label window [1997-10-01T00:00:00.000Z, 1998-07-01T00:00:00.000Z))
 * // left out hour_sin, hour_cos, weekday_sin, weekday_cos: the median customer was active on 1 distinct day before the cut-off; a usual hour or weekday needs 3 (docs/events.md)
 */
export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description('compute per-customer churn features (and labels) from an event log')
    .requiredOption('--events <file>', 'event log (one event per line)')
    .addOption(new Option('--format <format>', 'event log format').choices(EVENT_FORMATS).default('csv'))
    .requiredOption('--as-of <date>', 'observation cut-off: a date (that whole UTC day is observed) or an ISO date-time', asOfTime)
    .requiredOption('--horizon <duration>', 'prediction horizon after the cut-off, e.g. 90d, 39w, 12h', duration)
    .option('--gap <duration>', 'time after the cut-off left out of the label window', duration, '0d')
    .option('--active <types>', 'comma-separated event types that count as activity', 'order')
    .option('--strict', 'stop at the first invalid row instead of skipping it')
    .option('--earliest <date>', 'refuse events before this time (default 1990-01-01; events more than 5 minutes after now are always refused)', eventTime)
    .requiredOption('--out <csv>', 'where to write the feature table (written atomically; the features\' words go beside it, in <name>.display.json)')
    .action(async (options: FeaturesOptions) => {
      const wordsPath = wordsFileBeside(options.out);
      checkOutputs(
        [{ path: options.out, kind: 'file', flag: '--out' }, ...(wordsPath !== undefined ? [{ path: wordsPath, kind: 'file' as const, flag: "the features' words beside --out" }] : [])],
        [options.events],
      );
      const eventTimes = { earliestMs: options.earliest };
      const label = resolveChurnLabel({
        asOf: options.asOf,
        horizon: options.horizon,
        gap: options.gap,
        activeTypes: options.active.split(','),
        times: { policy: resolveEventTimePolicy(eventTimes), nowMs: Date.now() },
      });
      const listed: EventProblem[] = [];
      let invalidRows = 0;
      const progress = startFileProgress('reading events', options.events);
      const columns = await readEventColumns(options.events, {
        format: options.format,
        strict: options.strict === true,
        eventTimes,
        onInvalid: (problem) => {
          if (invalidRows++ < LISTED_PROBLEMS) listed.push(problem);
        },
        onProgress: (bytesRead) => progress.update(bytesRead),
      }).finally(() => progress.stop());
      reportProblems(options.events, listed, invalidRows);
      if (columns.length === 0) throw noEvents(options.events, options.format, invalidRows);
      const step = showStep(`computing features for ${columns.customerIds.length} customers`);
      const batch = computeBatchFeatures(columns, { label });
      step.stop();
      if (batch.customerIds.length === 0) throw noCustomerBeforeCutoff(options.events, columns.ts, label.cutoffMs);
      await writeFileAtomically(options.out, featureTableCsv(batch));
      const wordsFile = await writeWordsBeside(options.out, EVENT_FEATURE_DISPLAY);
      process.stderr.write(`${describe(columns.length, batch, label.labelStartMs, label.labelEndMs)}\n`);
      for (const { columns: left, reason } of tableColumns(batch).leftOut) {
        process.stderr.write(`left out ${left.join(', ')}: ${reason} (docs/events.md)\n`);
      }
      process.stderr.write(
        wordsFile !== undefined
          ? `wrote ${options.out} and ${wordsFile} (how each feature reads to a person: train carries it into the model)\n`
          : `wrote ${options.out}; the features' words go beside a table written to a file, not to ${options.out}\n`,
      );
    });
}

/**
 * The feature table as CSV text, the input `churnkit train` / `cv` read: `customer_id`, the
 * features in FEATURE_NAMES order (less the usual-time columns a log cannot support:
 * `tableColumns`), then `churned` (0/1) when the batch has labels. Numbers are written in
 * full (shortest round-trip form), so nothing is lost between the pipeline and training.
 *
 * @example
 * ```ts
 * await writeFileAtomically('features.csv', featureTableCsv(computeBatchFeatures(columns, { label })));
 * ```
 */
export function featureTableCsv(batch: BatchFeatures): string {
  const { columns } = tableColumns(batch);
  const positions = columns.map((name) => FEATURE_NAMES.indexOf(name));
  const header = ['customer_id', ...columns, ...(batch.churned ? ['churned'] : [])];
  const lines = [toCsvLine(header)];
  for (let row = 0; row < batch.customerIds.length; row++) {
    const features = batch.features[row]!;
    const cells: (string | number)[] = [batch.customerIds[row]!, ...positions.map((position) => features[position]!)];
    if (batch.churned) cells.push(batch.churned[row]!);
    lines.push(toCsvLine(cells));
  }
  return `${lines.join('\n')}\n`;
}

/** A log without a single valid event: an empty file, a header alone, or only invalid rows. */
function noEvents(file: string, format: EventFormat, invalidRows: number): InputError {
  if (statSync(file).size === 0) {
    const expected = format === 'csv' ? 'a header line (customer_id,ts,type,...), then one event per line' : 'one event per line';
    return new InputError('EVENTS_EMPTY', `the event log is empty: expected ${expected} (docs/events.md)`, { file });
  }
  const why = invalidRows > 0 ? `all ${invalidRows} rows are invalid` : 'the file holds no event rows';
  return new InputError('EVENTS_EMPTY', `no events to compute features from: ${why}`, { file });
}

/** A cut-off before every event: a table of no customers would train nothing, and a churn rate of 0 % over nobody reads as a result. */
function noCustomerBeforeCutoff(file: string, times: Float64Array, cutoffMs: number): InputError {
  const first = times.reduce((earliest, ts) => Math.min(earliest, ts), Infinity);
  return new InputError(
    'FEATURES_NO_CUSTOMERS',
    `no customer has an event before the cut-off ${new Date(cutoffMs).toISOString()} (the log's first event is at ${new Date(first).toISOString()}): choose a later --as-of`,
    { file },
  );
}

function reportProblems(file: string, listed: EventProblem[], invalidRows: number): void {
  for (const problem of listed) {
    process.stderr.write(`churnkit: ${file}, line ${problem.line}: skipped: ${problem.message}\n`);
  }
  if (invalidRows > listed.length) {
    process.stderr.write(`churnkit: ${file}: ${invalidRows - listed.length} more invalid rows skipped (--strict stops at the first)\n`);
  }
}

function describe(events: number, batch: BatchFeatures, labelStartMs: number, labelEndMs: number): string {
  const population = `${events} events, ${batch.customerIds.length} eligible customers`;
  const window = `label window [${new Date(labelStartMs).toISOString()}, ${new Date(labelEndMs).toISOString()})`;
  if (!batch.churned) return `${population}; no labels: the log ends before the ${window} does`;
  const churned = batch.churned.reduce((sum, label) => sum + label, 0);
  const rate = batch.customerIds.length > 0 ? (100 * churned) / batch.customerIds.length : 0;
  return `${population}, churn rate ${rate.toFixed(2)} % (${churned} churned; ${window})`;
}
