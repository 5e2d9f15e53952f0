/**
 * The customer states a Redis store last wrote for its appends, so that the next append for
 * the same customer can be folded without reading the state back first: one round trip per
 * group commit instead of two, and no state read or SHA-1 of it on the event loop. A
 * shopper's events come in sessions, so the customers written a moment ago are the ones
 * written next.
 *
 * A remembered state is only a guess: the write script still compares it, by SHA-1, with
 * the state on the server and writes nothing when they differ (another instance wrote, or
 * erased, the customer in between), and the group is then read and folded again. So a stale
 * or lost entry costs a round trip, never an event, and an erased history never comes back.
 * A state is kept at most `REMEMBERED_STATE_MS` after it was written: a customer another
 * instance erases does not stay in this one's memory for longer than that.
 */

/** Bytes of state kept at most (oldest out first): a typical state is a few hundred bytes. */
export const REMEMBERED_STATE_BYTES = 16 * 1024 * 1024;
/** How long a written state is kept, in ms: a shopper's session, not their lifetime. */
export const REMEMBERED_STATE_MS = 60_000;

/** A stored state and the SHA-1 (hex) the write script compares it by. */
export interface RememberedState {
  readonly bytes: Buffer;
  readonly digest: string;
}

interface Entry extends RememberedState {
  readonly writtenAt: number;
}

export interface RememberedStatesOptions {
  maxBytes?: number;
  maxAgeMs?: number;
  /** Milliseconds, monotonic. Default `performance.now`. */
  clock?: () => number;
}

export class RememberedStates {
  /** In the order written, oldest first (a state written again moves to the end). */
  private readonly states = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly clock: () => number;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(options: RememberedStatesOptions = {}) {
    this.maxBytes = options.maxBytes ?? REMEMBERED_STATE_BYTES;
    this.maxAgeMs = options.maxAgeMs ?? REMEMBERED_STATE_MS;
    this.clock = options.clock ?? (() => performance.now());
    // Also while no append comes: what an idle store remembers goes within the age bound.
    this.sweeper = setInterval(() => this.dropExpired(), Math.max(1_000, this.maxAgeMs / 4));
    this.sweeper.unref();
  }

  get(key: string): RememberedState | undefined {
    const entry = this.states.get(key);
    if (entry === undefined || this.clock() - entry.writtenAt <= this.maxAgeMs) return entry;
    this.forget(key);
    return undefined;
  }

  /** Keeps `state` as the customer's newest, dropping the oldest states past the byte bound and the age bound. */
  remember(key: string, state: RememberedState): void {
    this.forget(key);
    if (state.bytes.length <= this.maxBytes) {
      this.states.set(key, { bytes: state.bytes, digest: state.digest, writtenAt: this.clock() });
      this.bytes += state.bytes.length;
    }
    for (const [oldest, { bytes }] of this.states) {
      if (this.bytes <= this.maxBytes) break;
      this.states.delete(oldest);
      this.bytes -= bytes.length;
    }
    this.dropExpired();
  }

  forget(key: string): void {
    const entry = this.states.get(key);
    if (entry === undefined) return;
    this.states.delete(key);
    this.bytes -= entry.bytes.length;
  }

  /** Forgets everything and stops the sweeper. */
  clear(): void {
    clearInterval(this.sweeper);
    this.states.clear();
    this.bytes = 0;
  }

  private dropExpired(): void {
    const now = this.clock();
    for (const [key, entry] of this.states) {
      if (now - entry.writtenAt <= this.maxAgeMs) break;
      this.forget(key);
    }
  }
}
