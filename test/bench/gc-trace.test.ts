import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseGcTrace } from '../../bench/gc-trace.js';

/** A real node's trace: garbage for scavenges, a long-lived array that must be promoted, and a full collection. */
function traceOf(script: string): string[] {
  const run = spawnSync(process.execPath, ['--trace-gc-nvp', '--expose-gc', '-e', script], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  return run.stdout.split('\n');
}

describe('parseGcTrace', () => {
  it("reads this node's scavenges, their pauses and promoted bytes, and its full collections", () => {
    const lines = traceOf('const kept = []; for (let i = 0; i < 3e5; i++) { const o = { i, s: "x" + i }; if (i % 10 === 0) kept.push(o); } gc(); console.log(kept.length)');
    const { scavenges, fullCollectionPausesMs } = parseGcTrace(lines);
    expect(scavenges.length).toBeGreaterThan(0);
    for (const scavenge of scavenges) {
      expect(Number.isFinite(scavenge.pauseMs) && scavenge.pauseMs >= 0).toBe(true);
      expect(Number.isFinite(scavenge.promotedBytes) && scavenge.promotedBytes >= 0).toBe(true);
    }
    // A tenth of the objects stay reachable: some scavenge must have promoted them.
    expect(scavenges.some((scavenge) => scavenge.promotedBytes > 0)).toBe(true);
    expect(fullCollectionPausesMs.length).toBeGreaterThanOrEqual(1);
    for (const pause of fullCollectionPausesMs) expect(Number.isFinite(pause) && pause >= 0).toBe(true);
  });

  it('ignores lines that are not collections', () => {
    expect(parseGcTrace(['{"port":1}', 'listening', ''])).toEqual({ scavenges: [], fullCollectionPausesMs: [] });
  });
});
