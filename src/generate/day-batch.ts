/**
 * One simulated day's events, held column-wise in typed arrays (no object per
 * event) and put in time order before they are handed out. The storefront is
 * simulated a day at a time, so memory is bounded by one day's events however
 * long the run.
 */
import { KNOWN_EVENT_TYPES } from '../events/event-types.js';

/** Index of each event type in `KNOWN_EVENT_TYPES`, the code stored in a batch. */
export const EVENT_CODE = Object.fromEntries(KNOWN_EVENT_TYPES.map((name, code) => [name, code])) as Record<
  (typeof KNOWN_EVENT_TYPES)[number],
  number
>;

const SECONDS_PER_DAY = 86_400;

/** Growable column store for one day; `NO_*` marks an absent optional field. */
export class DayBatch {
  static readonly NO_VALUE = Number.NaN;
  static readonly NO_CODE = -1;

  count = 0;
  customer = new Int32Array(1024);
  second = new Int32Array(1024);
  type = new Uint8Array(1024);
  value = new Float64Array(1024);
  quantity = new Int32Array(1024);
  category = new Int8Array(1024);
  rating = new Int8Array(1024);
  channel = new Int8Array(1024);
  /** Row indices in time order, valid after `sortByTime()`. */
  order = new Uint32Array(1024);
  /** Events per second of the day, then where each second starts in `order` (counting sort). */
  private readonly secondStarts = new Int32Array(SECONDS_PER_DAY + 1);

  clear(): void {
    this.count = 0;
  }

  /** Appends an event; `quantity`/`rating` 0 and codes -1 mean "absent". */
  push(customer: number, second: number, type: number, value: number, quantity: number, category: number, rating: number, channel: number): void {
    if (this.count === this.customer.length) this.grow();
    const row = this.count++;
    this.customer[row] = customer;
    this.second[row] = second;
    this.type[row] = type;
    this.value[row] = value;
    this.quantity[row] = quantity;
    this.category[row] = category;
    this.rating[row] = rating;
    this.channel[row] = channel;
  }

  /** Orders rows by second of day, keeping insertion order within a second (a stable counting sort: seconds are few). */
  sortByTime(): void {
    const starts = this.secondStarts;
    starts.fill(0);
    for (let row = 0; row < this.count; row++) starts[this.second[row]! + 1]!++;
    for (let second = 1; second <= SECONDS_PER_DAY; second++) starts[second]! += starts[second - 1]!;
    for (let row = 0; row < this.count; row++) this.order[starts[this.second[row]!]!++] = row;
  }

  private grow(): void {
    const capacity = this.customer.length * 2;
    const grown = <T extends Int32Array | Uint8Array | Int8Array | Float64Array | Uint32Array>(old: T, make: (size: number) => T): T => {
      const fresh = make(capacity);
      fresh.set(old);
      return fresh;
    };
    this.customer = grown(this.customer, (size) => new Int32Array(size));
    this.second = grown(this.second, (size) => new Int32Array(size));
    this.type = grown(this.type, (size) => new Uint8Array(size));
    this.value = grown(this.value, (size) => new Float64Array(size));
    this.quantity = grown(this.quantity, (size) => new Int32Array(size));
    this.category = grown(this.category, (size) => new Int8Array(size));
    this.rating = grown(this.rating, (size) => new Int8Array(size));
    this.channel = grown(this.channel, (size) => new Int8Array(size));
    this.order = new Uint32Array(capacity);
  }
}
