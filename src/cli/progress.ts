import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';

/** A progress display for a long step; every method is a no-op when nobody is watching. */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

/** How `total` and the count done are shown: plain counts, or bytes as MB. */
export type ProgressUnit = 'items' | 'bytes';

const SILENT: Progress = { update() {}, stop() {} };
let silenced = false;

/** `--quiet`: no progress bars for the rest of the process. */
export function silenceProgress(): void {
  silenced = true;
}

/**
 * A progress bar on stderr, only when stderr is a terminal and `--quiet` was not given:
 * piped or redirected output (CI logs, `2> log.txt`) stays free of carriage-return noise,
 * and stdout stays clean for `--json`. cli-progress is loaded only when a bar is shown.
 *
 * @example
 * const progress = startProgress('reading events', fileBytes, 'bytes');
 * progress.update(bytesRead);
 * progress.stop();
 */
export function startProgress(label: string, total: number, unit: ProgressUnit = 'items', stream: NodeJS.WriteStream = process.stderr): Progress {
  if (silenced || !stream.isTTY) return SILENT;
  const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const counts = unit === 'bytes' ? '{doneMb}/{totalMb} MB' : '{value}/{total}';
  const bar = new SingleBar(
    { format: `${label} [{bar}] ${counts} {percentage}% · {duration_formatted}`, stream, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1);
  bar.start(total, 0, unit === 'bytes' ? { doneMb: megabytes(0), totalMb: megabytes(total) } : {});
  return {
    update: (done) => bar.update(done, unit === 'bytes' ? { doneMb: megabytes(done) } : {}),
    stop: () => bar.stop(),
  };
}

/**
 * A bar over the bytes of a file being read (its size is the total; a file that cannot be
 * read shows no bar, and the reader reports the problem).
 *
 * @example
 * const progress = startFileProgress('reading events', 'events.csv');
 * for await (const events of readEventBatches('events.csv', { format: 'csv', onProgress: progress.update })) use(events);
 * progress.stop();
 */
export function startFileProgress(label: string, path: string): Progress {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return SILENT;
  }
  return startProgress(label, size, 'bytes');
}

/**
 * A one-line note on stderr for a step that runs without pauses (nothing can redraw a bar
 * while it runs), e.g. `computing features for 16,458 customers…`; `stop()` clears it. Shown
 * only where a bar would be.
 *
 * @example
 * const step = showStep('fitting BG/NBD');
 * const fit = fitBgNbd(summaries);
 * step.stop();
 */
export function showStep(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (silenced || !stream.isTTY) return SILENT;
  stream.write(`${label}…`);
  return {
    update() {},
    stop: () => {
      stream.write('\r\x1b[K');
    },
  };
}
