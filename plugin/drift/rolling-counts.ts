/**
 * Bin counts over the last `window` observations, kept as ten blocks: each observation adds
 * one to its bins in the current block; when the block is full the oldest block is cleared
 * and becomes the current one. The total then covers between nine tenths of the window and
 * the whole of it: a rolling window at a tenth's granularity, in memory fixed up front, with
 * no per-observation allocation and no timestamps.
 */
const BLOCKS = 10;

export class RollingCounts {
  /** Per block, the counts of every bin. */
  readonly counts: Uint32Array;
  private readonly blockSize: number;
  private block = 0;
  private filled = 0;
  private observed = 0;

  /**
   * @example
   * const rolling = new RollingCounts(bins.size, 5000);
   * bins.count(record, rolling.counts, rolling.base()); rolling.added();
   */
  constructor(
    readonly bins: number,
    readonly window: number,
  ) {
    this.blockSize = Math.max(1, Math.ceil(window / BLOCKS));
    this.counts = new Uint32Array(bins * BLOCKS);
  }

  /** Where the current block's counts start in `counts`. */
  base(): number {
    return this.block * this.bins;
  }

  /** Marks one observation as counted into the current block. */
  added(): void {
    this.observed++;
    if (++this.filled < this.blockSize) return;
    this.block = (this.block + 1) % BLOCKS;
    this.filled = 0;
    this.counts.fill(0, this.block * this.bins, (this.block + 1) * this.bins);
    this.observed = Math.min(this.observed, this.blockSize * (BLOCKS - 1));
  }

  /** Observations in the window now. */
  observations(): number {
    return this.observed;
  }

  /** The window's counts of bins `from` to `to` (exclusive), summed over the blocks. */
  totals(from: number, to: number): Float64Array {
    const totals = new Float64Array(to - from);
    for (let block = 0; block < BLOCKS; block++) {
      const base = block * this.bins;
      for (let bin = from; bin < to; bin++) totals[bin - from]! += this.counts[base + bin]!;
    }
    return totals;
  }
}
