import type { ChurnEvent } from '../events/types.js';
import { dayIndex } from './customer-aggregates.js';
import { DAY_MS } from '../events/day.js';
import { isUsableAmount } from '../events/event-amount.js';

/**
 * An event log packed column by column into typed arrays (about 50 bytes per event instead
 * of a few hundred for a JS object), the form the batch pipeline hands to arquero. Strings
 * (customer ids, types, categories) are stored once in dictionaries and referenced by index.
 */
export interface EventColumns {
  length: number;
  /** Index into `customerIds`. */
  customer: Int32Array;
  ts: Float64Array;
  /** UTC day index of `ts` (days since 1970-01-01). */
  day: Int32Array;
  /** UTC hour 0..23 and weekday 0..6 (Sunday = 0) of `ts`. */
  hour: Uint8Array;
  weekday: Uint8Array;
  /** Index into `types`. */
  type: Uint16Array;
  /** NaN when absent. */
  value: Float64Array;
  quantity: Float64Array;
  rating: Float64Array;
  /** Index into `categories`, −1 when absent. */
  category: Int32Array;
  /** 0 none, 1 web, 2 app, 3 social, 4 any other channel. */
  channel: Uint8Array;
  customerIds: string[];
  types: string[];
  categories: string[];
}

export const CHANNEL_CODES = { none: 0, web: 1, app: 2, social: 3, other: 4 } as const;

/** Bytes each event takes in the columns (the dictionaries come on top, once per distinct string). */
export const BYTES_PER_EVENT = 4 + 8 + 4 + 1 + 1 + 2 + 8 + 8 + 8 + 4 + 1;

// More than this many distinct types and the rest share one code: features only use the known ones.
const MAX_TYPE_CODES = 65_535;

/**
 * Accumulates events into growing columns.
 *
 * @example
 * ```ts
 * const builder = new EventColumnsBuilder();
 * for await (const event of readEvents('events.csv', { format: 'csv' })) builder.add(event);
 * const columns = builder.finish();
 * ```
 */
export class EventColumnsBuilder {
  private capacity: number;
  private length = 0;
  private columns: Omit<EventColumns, 'length' | 'customerIds' | 'types' | 'categories'>;
  private readonly customerCodes = new Map<string, number>();
  private readonly typeCodes = new Map<string, number>();
  private readonly categoryCodes = new Map<string, number>();
  private readonly customerIds: string[] = [];
  private readonly types: string[] = [];
  private readonly categories: string[] = [];

  constructor(initialCapacity = 1 << 16) {
    this.capacity = Math.max(16, initialCapacity);
    this.columns = allocate(this.capacity);
  }

  /** Adds one event; like the online state, it skips an event without a finite time and treats non-finite numbers as absent. */
  add(event: ChurnEvent): void {
    if (!Number.isFinite(event.ts)) return;
    if (this.length === this.capacity) this.grow();
    const at = this.length++;
    const c = this.columns;
    c.customer[at] = codeOf(this.customerCodes, this.customerIds, event.customerId, Number.MAX_SAFE_INTEGER);
    c.ts[at] = event.ts;
    c.day[at] = dayIndex(event.ts);
    c.hour[at] = Math.floor((((event.ts % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000);
    c.weekday[at] = (((c.day[at]! + 4) % 7) + 7) % 7;
    c.type[at] = codeOf(this.typeCodes, this.types, event.type, MAX_TYPE_CODES);
    c.value[at] = usableOrNaN(event.value);
    c.quantity[at] = usableOrNaN(event.quantity);
    c.rating[at] = usableOrNaN(event.rating);
    c.category[at] = event.category ? codeOf(this.categoryCodes, this.categories, event.category, Number.MAX_SAFE_INTEGER) : -1;
    c.channel[at] = channelCode(event.channel);
  }

  finish(): EventColumns {
    const n = this.length;
    const c = this.columns;
    return {
      length: n,
      customer: c.customer.subarray(0, n),
      ts: c.ts.subarray(0, n),
      day: c.day.subarray(0, n),
      hour: c.hour.subarray(0, n),
      weekday: c.weekday.subarray(0, n),
      type: c.type.subarray(0, n),
      value: c.value.subarray(0, n),
      quantity: c.quantity.subarray(0, n),
      rating: c.rating.subarray(0, n),
      category: c.category.subarray(0, n),
      channel: c.channel.subarray(0, n),
      customerIds: this.customerIds,
      types: this.types,
      categories: this.categories,
    };
  }

  private grow(): void {
    // 1.5× keeps the peak (old + new arrays during the copy) near 2.5× the data, not 3×.
    this.capacity = Math.ceil(this.capacity * 1.5);
    const grown = allocate(this.capacity);
    for (const name of Object.keys(grown) as (keyof typeof grown)[]) {
      (grown[name] as { set(source: ArrayLike<number>): void }).set(this.columns[name]);
    }
    this.columns = grown;
  }
}

function allocate(capacity: number) {
  return {
    customer: new Int32Array(capacity),
    ts: new Float64Array(capacity),
    day: new Int32Array(capacity),
    hour: new Uint8Array(capacity),
    weekday: new Uint8Array(capacity),
    type: new Uint16Array(capacity),
    value: new Float64Array(capacity),
    quantity: new Float64Array(capacity),
    rating: new Float64Array(capacity),
    category: new Int32Array(capacity),
    channel: new Uint8Array(capacity),
  };
}

function codeOf(codes: Map<string, number>, names: string[], name: string, limit: number): number {
  let code = codes.get(name);
  if (code === undefined) {
    if (names.length >= limit) return limit - 1;
    code = names.length;
    codes.set(name, code);
    names.push(name);
  }
  return code;
}

function usableOrNaN(value: number | undefined): number {
  return isUsableAmount(value) ? value : Number.NaN;
}

function channelCode(channel: string | undefined): number {
  if (!channel) return CHANNEL_CODES.none;
  if (channel === 'web' || channel === 'app' || channel === 'social') return CHANNEL_CODES[channel];
  return CHANNEL_CODES.other;
}
