/**
 * The machine's two speed levels, told apart within one run: a fixed plain-JS block is timed
 * between the measured blocks, and each round is put at the fast or the slow level by how
 * long that block took (bench:store, bench:store-write).
 */

/** A fixed plain-JS workload. */
function calibration(): number {
  let x = 0;
  for (let i = 0; i < 200_000; i++) x = (x * 1_103_515_245 + 12_345 + i) % 2_147_483_647;
  return x;
}

/** CPU µs (user + system) of one calibration block. */
export function cpuOfCalibration(): number {
  const before = process.cpuUsage();
  calibration();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/**
 * The rounds whose calibration ran faster than the midpoint between the fastest and slowest
 * round's, the others, and a note for the results saying so.
 */
export function bySpeedLevel<Round extends { calibrationUs: number }>(rounds: readonly Round[]): { fast: Round[]; slow: Round[]; note: string } {
  const times = rounds.map((round) => round.calibrationUs);
  const threshold = (Math.min(...times) + Math.max(...times)) / 2;
  const fast = rounds.filter((round) => round.calibrationUs <= threshold);
  const slow = rounds.filter((round) => round.calibrationUs > threshold);
  const note =
    `Speed levels: the calibration block (a fixed plain-JS loop) took ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} µs of CPU across rounds; ` +
    `${fast.length} rounds ran at the fast level (at most ${threshold.toFixed(0)} µs), ${slow.length} at the slow one.` +
    `${slow.length === 0 || fast.length === 0 ? ' Only one level was seen in this run: the other column is empty or both columns show the same level.' : ''}`;
  return { fast, slow, note };
}
