/** V8's `--trace-gc-nvp` lines, read: one line per collection, `name=value` pairs. */

/** One young-generation collection (a scavenge). */
export interface Scavenge {
  /** Its pause, ms. */
  pauseMs: number;
  /** What it moved to the old generation, bytes. */
  promotedBytes: number;
}

/** The scavenges among `lines` (`gc=s`), and the final pauses of full collections (`gc=mc`, ms); other lines are ignored. */
export function parseGcTrace(lines: readonly string[]): { scavenges: Scavenge[]; fullCollectionPausesMs: number[] } {
  const field = (line: string, name: string) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? Number.NaN);
  const scavenges = lines.filter((line) => /\bgc=s\b/.test(line)).map((line) => ({ pauseMs: field(line, 'pause'), promotedBytes: field(line, 'promoted') }));
  return { scavenges, fullCollectionPausesMs: lines.filter((line) => /\bgc=mc\b/.test(line)).map((line) => field(line, 'pause')) };
}
