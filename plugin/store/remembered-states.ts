/**
 * The customer states a Redis store last wrote for its appends, so that the next
 * append for the same customer can be folded without reading the state back first: one
 * round trip per group commit instead of two, and no state read or SHA-1 of it on the
 * event loop. A shopper's events come in sessions, so the customers written a moment ago
 * are the ones written next.
 *
 * A remembered state is only a guess: the write script still compares it, by SHA-1, with
 * the state on the server and writes nothing when they differ (another instance wrote, or
 * erased, the customer in between), and the group is then read and folded again. So a stale
 * or lost entry costs a round trip, never an event, and an erased history never comes back.
 */

/** Bytes of state kept at most (oldest out first): a typical state is a few hundred bytes. */
export const REMEMBERED_STATE_BYTES = 16 * 1024 * 1024;

/** A stored state and the SHA-1 (hex) the write script compares it by. */
export interface RememberedState {
  readonly bytes: Buffer;
  readonly digest: string;
}

export class RememberedStates {
  private readonly states = new Map<string, RememberedState>();
  private bytes = 0;

  constructor(private readonly maxBytes = REMEMBERED_STATE_BYTES) {}

  get(key: string): RememberedState | undefined {
    return this.states.get(key);
  }

  /** Keeps `state` as the customer's newest, dropping the longest-unused states past the byte bound. */
  remember(key: string, state: RememberedState): void {
    this.forget(key);
    if (state.bytes.length > this.maxBytes) return;
    this.states.set(key, state);
    this.bytes += state.bytes.length;
    for (const [oldest, { bytes }] of this.states) {
      if (this.bytes <= this.maxBytes) break;
      this.states.delete(oldest);
      this.bytes -= bytes.length;
    }
  }

  forget(key: string): void {
    const state = this.states.get(key);
    if (state === undefined) return;
    this.states.delete(key);
    this.bytes -= state.bytes.length;
  }

  clear(): void {
    this.states.clear();
    this.bytes = 0;
  }
}
