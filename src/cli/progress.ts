import { SingleBar, Presets } from 'cli-progress';

/** A progress display for a long step; every method is a no-op when nobody is watching. */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr, only when stderr is a terminal: piped or redirected
 * output (CI logs, `2> log.txt`) stays free of carriage-return noise, and stdout
 * stays clean for `--json`.
 */
export function startProgress(label: string, total: number): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
