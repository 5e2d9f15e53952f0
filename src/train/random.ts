/**
 * A small seeded random number generator (mulberry32) so that training is
 * reproducible: the same seed and the same data give bit-identical weights on
 * every machine. `Math.random` cannot be seeded, so nothing in training uses it.
 */

/** A seeded source of uniform numbers with the few draws training needs. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  nextInt(maxExclusive: number): number;
  /** Standard normal draw (Box–Muller), for weight initialisation. */
  nextGaussian(): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T;
}

/**
 * Creates a generator from a 32-bit seed.
 *
 * @example
 * const random = createRandom(42);
 * random.shuffle([1, 2, 3, 4]); // same order on every run
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    // mulberry32: a 32-bit state, full period, passes the usual statistical batteries for this use.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    nextInt: (maxExclusive) => Math.floor(next() * maxExclusive),
    nextGaussian: () => {
      // 1 - u keeps the logarithm's argument in (0, 1].
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const held = items[i];
        items[i] = items[j];
        items[j] = held;
      }
      return items;
    },
  };
}
