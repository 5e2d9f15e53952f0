/**
 * What the SQLite writer thread tells the main thread through shared memory, readable while
 * the main thread blocks: whether it has started. The store's opening waits for it, so the
 * first write is not slowed by the thread's start-up, and a file that cannot be opened for
 * writing fails `openSqliteStore` itself.
 */

const STATUS = 0;
const MESSAGE_LENGTH = 1;
const INTS = 2;
const MESSAGE_BYTES = 1_024;

const STARTING = 0;
const READY = 1;
const FAILED = 2;

export class WriterSignals {
  readonly buffer: SharedArrayBuffer;
  private readonly ints: Int32Array;
  private readonly message: Uint8Array;

  constructor(buffer = new SharedArrayBuffer(INTS * 4 + MESSAGE_BYTES)) {
    this.buffer = buffer;
    this.ints = new Int32Array(buffer, 0, INTS);
    this.message = new Uint8Array(buffer, INTS * 4, MESSAGE_BYTES);
  }

  ready(): void {
    Atomics.store(this.ints, STATUS, READY);
    Atomics.notify(this.ints, STATUS);
  }

  failed(reason: string): void {
    const { written } = new TextEncoder().encodeInto(reason, this.message);
    Atomics.store(this.ints, MESSAGE_LENGTH, written);
    Atomics.store(this.ints, STATUS, FAILED);
    Atomics.notify(this.ints, STATUS);
  }

  /**
   * Blocks this thread until the writer has started or failed, at most `timeoutMs`. Returns
   * null once started (or still starting after the timeout: writes then queue for it), the
   * writer's error message if it failed.
   */
  waitForStart(timeoutMs: number): string | null {
    Atomics.wait(this.ints, STATUS, STARTING, timeoutMs);
    if (Atomics.load(this.ints, STATUS) !== FAILED) return null;
    return new TextDecoder().decode(this.message.subarray(0, Atomics.load(this.ints, MESSAGE_LENGTH)));
  }

  /** Back to "starting", before a writer is started again. */
  restart(): void {
    Atomics.store(this.ints, STATUS, STARTING);
  }
}
