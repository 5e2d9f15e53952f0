/**
 * Bin counts over the last `window` observations, kept in blocks of a tenth of the window
 * (rounded down), as many as fit in it: each observation adds one to its bins in the current
 * block; when the block is full the oldest block is cleared and becomes the current one. The
 * total then covers between the window less two blocks and the whole of it, never more: nine
 * tenths to all of a window that is a multiple of ten (ten blocks), at least four fifths of
 * any other (up to 19 blocks). A rolling window at a tenth's granularity, in memory fixed up
 * front, with no per-observation allocation and no timestamps. (Blocks of a tenth rounded up
 * held up to twice a small window: 18 to 20 observations for a window of 11.)
 */
const TENTHS = 10;

/** Observations in a block and blocks in the window. */
function blocksOf(window: number): { blockSize: number; blocks: number } {
  const blockSize = Math.max(1, Math.floor(window / TENTHS));
  return { blockSize, blocks: Math.max(1, Math.floor(window / blockSize)) };
}

/**
 * The fewest observations a window of `window` holds once it has filled: right after the
 * oldest block is cleared. A minimum above it is met at best part of the time, or never.
 *
 * @example
 * fewestWhenFull(100); // 90
 */
export function fewestWhenFull(window: number): number {
  const { blockSize, blocks } = blocksOf(window);
  return blockSize * (blocks - 1);
}

export class RollingCounts {
  /** Per block, the counts of every bin. */
  readonly counts: Uint32Array;
  private readonly blockSize: number;
  private readonly blocks: number;
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
    const layout = blocksOf(window);
    this.blockSize = layout.blockSize;
    this.blocks = layout.blocks;
    this.counts = new Uint32Array(bins * this.blocks);
  }

  /** Where the current block's counts start in `counts`. */
  base(): number {
    return this.block * this.bins;
  }

  /** Marks one observation as counted into the current block. */
  added(): void {
    this.observed++;
    if (++this.filled < this.blockSize) return;
    this.block = (this.block + 1) % this.blocks;
    this.filled = 0;
    this.counts.fill(0, this.block * this.bins, (this.block + 1) * this.bins);
    this.observed = Math.min(this.observed, this.blockSize * (this.blocks - 1));
  }

  /** Observations in the window now. */
  observations(): number {
    return this.observed;
  }

  /** The window's counts of bins `from` to `to` (exclusive), summed over the blocks. */
  totals(from: number, to: number): Float64Array {
    const totals = new Float64Array(to - from);
    for (let block = 0; block < this.blocks; block++) {
      const base = block * this.bins;
      for (let bin = from; bin < to; bin++) totals[bin - from]! += this.counts[base + bin]!;
    }
    return totals;
  }
}
