/**
 * One-at-a-time sections per key, for the read-modify-write steps of the key-value store
 * (fold events into a customer's state, check and spend the day's budget). Work on
 * different keys runs concurrently; work on the same key runs in arrival order.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `work` once every earlier `run` on `key` has finished.
   *
   * @example
   * await lock.run(`customer:${id}`, async () => backend.put(key, next(await backend.get(key))));
   */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
