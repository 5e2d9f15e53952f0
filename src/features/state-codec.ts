/**
 * The stored form of a customer's online state: a small versioned binary record instead of
 * JSON text, so a store read costs no JSON parse and no array per day bucket. The features
 * can be read straight from the bytes (`storedFeaturesAt`) without building a
 * `CustomerState`: on the request path a cold customer costs one object, the features.
 *
 * Layout (little-endian; formats 1 and 2 differ only in the day buckets):
 *
 *     0  'C' 'K'            magic (JSON text starts with '{', so the two forms never clash)
 *     2  u8  format         FIXED_STATE_FORMAT (1) or COMPACT_STATE_FORMAT (2)
 *     3  u8  absent         bit i set: nullable scalar i is null (NULLABLE_SCALARS order)
 *     4  u8  categories     distinct categories kept (≤ MAX_TRACKED_CATEGORIES)
 *     5  u8  reserved (0)
 *     6  u16 days           active-day buckets (≤ RETAINED_DAYS)
 *     8  f64 × 29           the lifetime sums, in SCALARS order
 *   240  per day, oldest first:
 *        format 1: i32 day index, u32 events, u32 orders, u32 sessions, u32 email opens,
 *                  f64 revenue (28 bytes)
 *        format 2: varint of the day's distance from the day before (zigzag; the first
 *                  day's from day 0), u8 flags (bit 0 orders, 1 revenue, 2 sessions, 3 email
 *                  opens: set when not 0), varint events, then varint orders, sessions and
 *                  email opens and f64 revenue, each only when flagged (3 bytes for a day of
 *                  page views, 12 for a day with one order; at most 34)
 *   then per category: u16 UTF-8 byte length, the bytes
 *
 * (Varints: LEB128, 7 bits a byte, low bits first, at most 5 bytes.)
 *
 * Format 2 is format 1 with the day buckets, three quarters of a typical record, cut to about
 * a quarter: the SQLite store writes it, and smaller records mean fewer pages written per
 * commit (each customer's new state rewrites the page that holds it: bench:store-write's
 * store, 2,000 customers in commits of 500 events, wrote about 370 write-ahead log frames per
 * commit with records of 1,006 bytes on average, about 260 with the same customers' records
 * in format 2, 428 bytes). The SQLite store's schema 5 keeps
 * earlier versions, which read only format 1, from opening a file that holds format 2. The
 * Redis store, which has no such version and may be shared with instances of an earlier
 * churnkit, writes format 1.
 *
 * Every sum is a float64 as in memory, so decoding gives back exactly the state that was
 * encoded, and `storedFeaturesAt` exactly `featuresAt` (the same additions in the same
 * order, through `addDayToWindows`). A customer's record is at most 240 + 365 × 28 (format 1;
 * 34 in format 2) + 64 × (2 + the longest category) bytes; a typical one is a few hundred.
 *
 * Stores written before this format hold the state as JSON text (`CustomerState` v1): both
 * functions below accept that too, so old rows are read as they are and rewritten in this
 * form on the customer's next event. Runtime-neutral (DataView, TextEncoder).
 */
import { ChurnkitError } from '../errors.js';
import { MAX_TRACKED_CATEGORIES, lastObservedDay, type CustomerAggregates } from './customer-aggregates.js';
import { featuresFromAggregates, type FeatureName } from './feature-definitions.js';
import {
  RETAINED_DAYS,
  addDayToWindows,
  aggregatesBeforeDays,
  createCustomerState,
  featuresAt,
  type CustomerState,
  type DayBucket,
} from './online-state.js';

/**
 * A state as a store holds it: the binary record, or (rows written before it) JSON text,
 * as a string or as its UTF-8 bytes (a store that reads raw bytes cannot tell beforehand).
 */
export type StoredState = Uint8Array | string;

const OPENING_BRACE = 0x7b;

/** Legacy JSON read as bytes becomes text; anything else is taken for a binary record. */
function asTextIfJson(stored: StoredState): StoredState {
  if (typeof stored === 'string' || stored[0] !== OPENING_BRACE) return stored;
  try {
    return utf8Decoder.decode(stored);
  } catch (error) {
    throw formatError(`JSON text that is not UTF-8 (${(error as Error).message})`);
  }
}

/** The binary format with 28 fixed bytes per day, in byte 2: what the Redis store writes. */
export const FIXED_STATE_FORMAT = 1;
/** The binary format with varint days, in byte 2: what the SQLite store writes (schema 5). */
export const COMPACT_STATE_FORMAT = 2;
export type StateFormat = typeof FIXED_STATE_FORMAT | typeof COMPACT_STATE_FORMAT;

const MAGIC_C = 0x43;
const MAGIC_K = 0x4b;
const HEADER_BYTES = 8;
const BUCKET_BYTES = 28;
/** A format-2 day at most: 5-byte varints for the day and its four counts, the flags, the revenue. */
const MAX_COMPACT_BUCKET_BYTES = 34;
/** A format-2 day at least: its day, flags and events, one byte each. */
const MIN_COMPACT_BUCKET_BYTES = 3;
const ORDERS_FLAG = 1;
const REVENUE_FLAG = 2;
const SESSIONS_FLAG = 4;
const EMAIL_OPENS_FLAG = 8;
const MIN_DAY = -0x80000000;
const MAX_DAY = 0x7fffffff;
const MAX_CATEGORY_BYTES = 0xffff;

/** Scalars that may be null, in the order of the `absent` bits. */
const NULLABLE_SCALARS = ['firstEventMs', 'lastEventMs', 'lastOrderMs', 'firstOrderDay', 'lastOrderDay'] as const;
type NullableScalar = (typeof NULLABLE_SCALARS)[number];
type NumericScalar =
  | 'eventsTotal' | 'ordersTotal' | 'revenueTotal' | 'itemsTotal' | 'orderDays' | 'orderGapSquaresSum'
  | 'sessionsTotal' | 'pageViewsTotal' | 'searchesTotal' | 'addToCartTotal' | 'refundsTotal'
  | 'supportTicketsTotal' | 'reviewsTotal' | 'ratingSum' | 'ratingCount' | 'couponsTotal'
  | 'hourSinSum' | 'hourCosSum' | 'weekdaySinSum' | 'weekdayCosSum';
type Channel = keyof CustomerState['channels'];

/** The 29 float64 sums after the header, in stored order. */
const SCALARS: readonly (NullableScalar | NumericScalar | Channel)[] = [
  ...NULLABLE_SCALARS,
  'eventsTotal', 'ordersTotal', 'revenueTotal', 'itemsTotal', 'orderDays', 'orderGapSquaresSum',
  'sessionsTotal', 'pageViewsTotal', 'searchesTotal', 'addToCartTotal', 'refundsTotal',
  'supportTicketsTotal', 'reviewsTotal', 'ratingSum', 'ratingCount', 'couponsTotal',
  'web', 'app', 'social', 'other',
  'hourSinSum', 'hourCosSum', 'weekdaySinSum', 'weekdayCosSum',
];
const CHANNELS: ReadonlySet<string> = new Set<Channel>(['web', 'app', 'social', 'other']);
/** Per entry of SCALARS, whether it is a channel (read from `state.channels`). */
const SCALAR_IS_CHANNEL: readonly boolean[] = SCALARS.map((name) => CHANNELS.has(name));
const BUCKETS_AT = HEADER_BYTES + SCALARS.length * 8;
const MAX_U32 = 0xffffffff;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function formatError(message: string): ChurnkitError {
  return new ChurnkitError('STATE_FORMAT', `stored customer state: ${message}`);
}

/** A per-day count as stored (u32): counts beyond 4,294,967,295 events of one customer in one day saturate. */
function dayCount(value: number): number {
  return value >= MAX_U32 ? MAX_U32 : value > 0 ? Math.floor(value) : 0;
}

/**
 * The binary record of a state. Throws a `ChurnkitError` (`STATE_FORMAT`) for a state no
 * store should hold: more buckets than retained days, more categories than tracked, or a
 * category longer than 65,535 UTF-8 bytes.
 *
 * @example
 * const bytes = encodeCustomerState(applyEvent(createCustomerState(), event));
 * decodeCustomerState(bytes); // the same state
 */
export function encodeCustomerState(state: CustomerState, format: StateFormat = FIXED_STATE_FORMAT): Uint8Array {
  return encodeCustomerStateTransient(state, format).slice();
}

/**
 * A record buffer reused by every `encodeCustomerStateTransient` call of this thread, grown
 * when a record does not fit (never past the format's bound, about 4 MB; a customer whose
 * categories came through the HTTP routes, at most 200 characters or 600 UTF-8 bytes each,
 * takes under 50 KB). A fresh typed array per record cost more than half the encoder's time
 * (its backing store is allocated outside the JavaScript heap, then tracked and freed by the
 * garbage collector), and the SQLite writer encodes one record per customer in every group
 * commit, only to have SQLite copy it.
 */
let recordBuffer = new Uint8Array(4_096);
let recordView = new DataView(recordBuffer.buffer);

/**
 * `encodeCustomerState` without an allocation: the record as a view of a buffer that the
 * next call overwrites. For a caller that copies it at once (a SQLite statement binding it,
 * `Buffer.from`); one that keeps it must copy it, or call `encodeCustomerState`.
 */
export function encodeCustomerStateTransient(state: CustomerState, format: StateFormat = FIXED_STATE_FORMAT): Uint8Array {
  if (state.days.length > RETAINED_DAYS) throw formatError(`${state.days.length} day buckets, expected at most ${RETAINED_DAYS}`);
  if (state.categories.length > MAX_TRACKED_CATEGORIES) {
    throw formatError(`${state.categories.length} categories, expected at most ${MAX_TRACKED_CATEGORIES}`);
  }
  const categories = state.categories;
  // Format 2's days take what their values need: room for the most, the record cut after.
  let size = BUCKETS_AT + state.days.length * (format === COMPACT_STATE_FORMAT ? MAX_COMPACT_BUCKET_BYTES : BUCKET_BYTES);
  // Categories are mostly ASCII, whose UTF-8 bytes are their char codes: written directly,
  // with no encoder call and no array per category. TextEncoder took a third of the
  // encoder's time, and the encoder runs once per customer in every event batch written.
  let nonAscii: Map<number, Uint8Array> | undefined;
  for (let i = 0; i < categories.length; i++) {
    const category = categories[i]!;
    let length = category.length;
    if (!isAscii(category)) {
      const bytes = utf8Encoder.encode(category);
      (nonAscii ??= new Map()).set(i, bytes);
      length = bytes.length;
    }
    if (length > MAX_CATEGORY_BYTES) throw formatError(`a category of ${length} UTF-8 bytes, expected at most ${MAX_CATEGORY_BYTES}`);
    size += 2 + length;
  }
  if (recordBuffer.length < size) {
    recordBuffer = new Uint8Array(Math.max(size, recordBuffer.length * 2));
    recordView = new DataView(recordBuffer.buffer);
  }
  const out = recordBuffer;
  const view = recordView;
  out[0] = MAGIC_C;
  out[1] = MAGIC_K;
  out[2] = format;
  out[3] = absentBits(state);
  out[4] = categories.length;
  out[5] = 0;
  view.setUint16(6, state.days.length, true);
  writeScalars(view, state);
  let at = format === COMPACT_STATE_FORMAT ? writeCompactDays(out, view, state.days) : writeFixedDays(view, state.days);
  for (let i = 0; i < categories.length; i++) {
    const bytes = nonAscii?.get(i);
    if (bytes !== undefined) {
      view.setUint16(at, bytes.length, true);
      out.set(bytes, at + 2);
      at += 2 + bytes.length;
      continue;
    }
    const category = categories[i]!;
    view.setUint16(at, category.length, true);
    at += 2;
    for (let k = 0; k < category.length; k++) out[at++] = category.charCodeAt(k);
  }
  return out.subarray(0, at);
}

function requireStorableDay(day: number): void {
  if (!Number.isInteger(day) || day < MIN_DAY || day > MAX_DAY) {
    throw formatError(`a day bucket for day ${day}, outside the format's range (an event time beyond year ±5,000,000)`);
  }
}

/** Format 1's days from BUCKETS_AT; returns the position after them. */
function writeFixedDays(view: DataView, days: readonly DayBucket[]): number {
  let at = BUCKETS_AT;
  for (const bucket of days) {
    requireStorableDay(bucket[0]);
    view.setInt32(at, bucket[0], true);
    view.setUint32(at + 4, dayCount(bucket[1]), true);
    view.setUint32(at + 8, dayCount(bucket[2]), true);
    view.setUint32(at + 12, dayCount(bucket[4]), true);
    view.setUint32(at + 16, dayCount(bucket[5]), true);
    view.setFloat64(at + 20, bucket[3], true);
    at += BUCKET_BYTES;
  }
  return at;
}

/** Format 2's days from BUCKETS_AT; returns the position after them. */
function writeCompactDays(out: Uint8Array, view: DataView, days: readonly DayBucket[]): number {
  let at = BUCKETS_AT;
  let previousDay = 0;
  for (const bucket of days) {
    const day = bucket[0];
    requireStorableDay(day);
    const distance = day - previousDay;
    previousDay = day;
    const orders = dayCount(bucket[2]);
    const sessions = dayCount(bucket[4]);
    const emailOpens = dayCount(bucket[5]);
    const revenue = bucket[3];
    // Object.is: a revenue of -0 is stored, so that it reads back as -0.
    const flags = (orders !== 0 ? ORDERS_FLAG : 0) | (Object.is(revenue, 0) ? 0 : REVENUE_FLAG) | (sessions !== 0 ? SESSIONS_FLAG : 0) | (emailOpens !== 0 ? EMAIL_OPENS_FLAG : 0);
    at = writeVarint(out, at, distance >= 0 ? distance * 2 : -distance * 2 - 1);
    out[at++] = flags;
    at = writeVarint(out, at, dayCount(bucket[1]));
    if (orders !== 0) at = writeVarint(out, at, orders);
    if (sessions !== 0) at = writeVarint(out, at, sessions);
    if (emailOpens !== 0) at = writeVarint(out, at, emailOpens);
    if (flags & REVENUE_FLAG) {
      view.setFloat64(at, revenue, true);
      at += 8;
    }
  }
  return at;
}

/** Writes `value` (an integer from 0 to 2^33, a day's zigzag distance at most) at `at`; returns the position after it. Arithmetic, not bit operations: values pass 2^31. */
function writeVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[at++] = value;
  return at;
}

/** Whether every UTF-16 unit of `text` is below 0x80, so that its UTF-8 bytes are its char codes. */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The header of a binary record, checked against its length. */
interface Header {
  view: DataView;
  format: StateFormat;
  absent: number;
  categories: number;
  days: number;
}

function readHeader(bytes: Uint8Array): Header {
  if (bytes.length < BUCKETS_AT || bytes[0] !== MAGIC_C || bytes[1] !== MAGIC_K) {
    throw formatError(`${bytes.length} bytes that are not a churnkit state record`);
  }
  const format = bytes[2];
  if (format !== FIXED_STATE_FORMAT && format !== COMPACT_STATE_FORMAT) {
    throw formatError(`format ${format}, this version reads formats ${FIXED_STATE_FORMAT} and ${COMPACT_STATE_FORMAT}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header: Header = { view, format, absent: bytes[3]!, categories: bytes[4]!, days: view.getUint16(6, true) };
  if (header.categories > MAX_TRACKED_CATEGORIES || header.days > RETAINED_DAYS) {
    throw formatError(`${header.days} days and ${header.categories} categories, beyond the format's bounds`);
  }
  const leastBucketBytes = format === COMPACT_STATE_FORMAT ? MIN_COMPACT_BUCKET_BYTES : BUCKET_BYTES;
  if (bytes.length < BUCKETS_AT + header.days * leastBucketBytes + header.categories * 2) {
    throw formatError(`truncated: ${bytes.length} bytes for ${header.days} days and ${header.categories} categories`);
  }
  return header;
}

/** One stored day, as `addDayToWindows` takes it. */
type DayVisitor = (day: number, events: number, orders: number, revenue: number, sessions: number, emailOpens: number) => void;

/**
 * Reads format 2's days from BUCKETS_AT, each into `visit`, and returns the position after
 * them, checking as it reads: every read within the record, every day within format 1's
 * range, every count a u32. Inlined by V8 at each of its two callers, each with its own
 * `visit`: a cold read on the request path (`storedFeaturesAt`) reads every day of the record.
 */
function readCompactDays(bytes: Uint8Array, { view, days }: Header, visit: DayVisitor): number {
  let at = BUCKETS_AT;
  let day = 0;
  for (let i = 0; i < days; i++) {
    const zigzag = readVarint(bytes, at);
    day += (zigzag & 1) === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    if (day < MIN_DAY || day > MAX_DAY) throw formatError(`day ${day} in the day buckets, outside the format's range`);
    at = varintEnd;
    const flags = bytes[at++];
    if (flags === undefined) throw truncatedDays();
    if (flags > (ORDERS_FLAG | REVENUE_FLAG | SESSIONS_FLAG | EMAIL_OPENS_FLAG)) throw formatError(`flags ${flags} in the day buckets`);
    const events = readCount(bytes, at);
    at = varintEnd;
    let orders = 0;
    let sessions = 0;
    let emailOpens = 0;
    let revenue = 0;
    if (flags & ORDERS_FLAG) {
      orders = readCount(bytes, at);
      at = varintEnd;
    }
    if (flags & SESSIONS_FLAG) {
      sessions = readCount(bytes, at);
      at = varintEnd;
    }
    if (flags & EMAIL_OPENS_FLAG) {
      emailOpens = readCount(bytes, at);
      at = varintEnd;
    }
    if (flags & REVENUE_FLAG) {
      if (at + 8 > bytes.length) throw truncatedDays();
      revenue = view.getFloat64(at, true);
      at += 8;
    }
    visit(day, events, orders, revenue, sessions, emailOpens);
  }
  return at;
}

/**
 * Where the last `readVarint` ended: its second result, in a variable rather than in an
 * array allocated per read (a cold read on the request path reads a few varints per day).
 */
let varintEnd = 0;

/** The varint at `at` (setting `varintEnd`); throws STATE_FORMAT past the record's end or past 5 bytes. */
function readVarint(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first !== undefined && first < 0x80) {
    varintEnd = at + 1;
    return first;
  }
  let value = 0;
  let scale = 1;
  for (let length = 0; length < 5; length++) {
    const byte = bytes[at++];
    if (byte === undefined) throw truncatedDays();
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      varintEnd = at;
      return value;
    }
    scale *= 0x80;
  }
  throw formatError('a varint longer than 5 bytes in the day buckets');
}

/** A day's count: a varint within a u32. */
function readCount(bytes: Uint8Array, at: number): number {
  const value = readVarint(bytes, at);
  if (value > MAX_U32) throw formatError(`a count of ${value} in the day buckets, beyond the format's range`);
  return value;
}

function truncatedDays(): ChurnkitError {
  return formatError('truncated in the day buckets');
}

/*
 * The sums, written and read by name in straight-line code, in SCALARS order (the format's;
 * `test/features/state-codec.test.ts` pins the layout byte for byte). A loop over SCALARS
 * doing `state[name]` is one property access site seeing 29 names: V8 makes it megamorphic,
 * a lookup in its shared stub cache per sum, which cost a third of the encoder's time (1.27
 * against 0.83 µs per record of a demo customer, here) and, on a storefront, took stub
 * cache entries from Express's own megamorphic accesses on the same thread. The writer
 * thread encodes one record per customer in every group commit; a cold view reads one.
 */

function absentBits(state: CustomerState): number {
  return (
    (state.firstEventMs === null ? 1 : 0) |
    (state.lastEventMs === null ? 2 : 0) |
    (state.lastOrderMs === null ? 4 : 0) |
    (state.firstOrderDay === null ? 8 : 0) |
    (state.lastOrderDay === null ? 16 : 0)
  );
}

function writeScalars(view: DataView, state: CustomerState): void {
  const channels = state.channels;
  view.setFloat64(8, state.firstEventMs ?? 0, true);
  view.setFloat64(16, state.lastEventMs ?? 0, true);
  view.setFloat64(24, state.lastOrderMs ?? 0, true);
  view.setFloat64(32, state.firstOrderDay ?? 0, true);
  view.setFloat64(40, state.lastOrderDay ?? 0, true);
  view.setFloat64(48, state.eventsTotal, true);
  view.setFloat64(56, state.ordersTotal, true);
  view.setFloat64(64, state.revenueTotal, true);
  view.setFloat64(72, state.itemsTotal, true);
  view.setFloat64(80, state.orderDays, true);
  view.setFloat64(88, state.orderGapSquaresSum, true);
  view.setFloat64(96, state.sessionsTotal, true);
  view.setFloat64(104, state.pageViewsTotal, true);
  view.setFloat64(112, state.searchesTotal, true);
  view.setFloat64(120, state.addToCartTotal, true);
  view.setFloat64(128, state.refundsTotal, true);
  view.setFloat64(136, state.supportTicketsTotal, true);
  view.setFloat64(144, state.reviewsTotal, true);
  view.setFloat64(152, state.ratingSum, true);
  view.setFloat64(160, state.ratingCount, true);
  view.setFloat64(168, state.couponsTotal, true);
  view.setFloat64(176, channels.web, true);
  view.setFloat64(184, channels.app, true);
  view.setFloat64(192, channels.social, true);
  view.setFloat64(200, channels.other, true);
  view.setFloat64(208, state.hourSinSum, true);
  view.setFloat64(216, state.hourCosSum, true);
  view.setFloat64(224, state.weekdaySinSum, true);
  view.setFloat64(232, state.weekdayCosSum, true);
}

/** Reads the sums into `target` (every scalar and channel; days and categories untouched). */
function readScalars({ view, absent }: Header, target: CustomerState): void {
  const channels = target.channels;
  target.firstEventMs = absent & 1 ? null : view.getFloat64(8, true);
  target.lastEventMs = absent & 2 ? null : view.getFloat64(16, true);
  target.lastOrderMs = absent & 4 ? null : view.getFloat64(24, true);
  target.firstOrderDay = absent & 8 ? null : view.getFloat64(32, true);
  target.lastOrderDay = absent & 16 ? null : view.getFloat64(40, true);
  target.eventsTotal = view.getFloat64(48, true);
  target.ordersTotal = view.getFloat64(56, true);
  target.revenueTotal = view.getFloat64(64, true);
  target.itemsTotal = view.getFloat64(72, true);
  target.orderDays = view.getFloat64(80, true);
  target.orderGapSquaresSum = view.getFloat64(88, true);
  target.sessionsTotal = view.getFloat64(96, true);
  target.pageViewsTotal = view.getFloat64(104, true);
  target.searchesTotal = view.getFloat64(112, true);
  target.addToCartTotal = view.getFloat64(120, true);
  target.refundsTotal = view.getFloat64(128, true);
  target.supportTicketsTotal = view.getFloat64(136, true);
  target.reviewsTotal = view.getFloat64(144, true);
  target.ratingSum = view.getFloat64(152, true);
  target.ratingCount = view.getFloat64(160, true);
  target.couponsTotal = view.getFloat64(168, true);
  channels.web = view.getFloat64(176, true);
  channels.app = view.getFloat64(184, true);
  channels.social = view.getFloat64(192, true);
  channels.other = view.getFloat64(200, true);
  target.hourSinSum = view.getFloat64(208, true);
  target.hourCosSum = view.getFloat64(216, true);
  target.weekdaySinSum = view.getFloat64(224, true);
  target.weekdayCosSum = view.getFloat64(232, true);
}

function parseLegacyJson(text: string): CustomerState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw formatError(`JSON text that does not parse (${(error as Error).message})`);
  }
  const state = parsed as Partial<CustomerState> | null;
  if (state === null || typeof state !== 'object' || state.version !== 1 || !Array.isArray(state.days) || !Array.isArray(state.categories)) {
    throw formatError('JSON text that is not a version 1 customer state');
  }
  requireLegacyContents(state as CustomerState);
  return state as CustomerState;
}

/**
 * The legacy JSON's contents as the binary record bounds them: each sum a finite number (null
 * only where it may be), each day bucket six finite numbers, each category text. A row that
 * parses but holds anything else would fail later, as a TypeError, in the features.
 */
function requireLegacyContents(state: CustomerState): void {
  if (state.channels === null || typeof state.channels !== 'object') throw formatError('JSON text without its channels');
  SCALARS.forEach((name, index) => {
    const value = SCALAR_IS_CHANNEL[index] ? state.channels[name as Channel] : state[name as NullableScalar | NumericScalar];
    if (value === null && index < NULLABLE_SCALARS.length) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw formatError(`JSON text whose "${name}" is not a finite number`);
  });
  if (state.days.length > RETAINED_DAYS) throw formatError(`JSON text with ${state.days.length} day buckets (at most ${RETAINED_DAYS})`);
  state.days.forEach((bucket, index) => {
    if (!Array.isArray(bucket) || bucket.length !== 6 || !bucket.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      throw formatError(`JSON text whose day bucket ${index + 1} is not six finite numbers`);
    }
  });
  if (state.categories.length > MAX_TRACKED_CATEGORIES || !state.categories.every((category) => typeof category === 'string')) {
    throw formatError(`JSON text whose categories are not at most ${MAX_TRACKED_CATEGORIES} texts`);
  }
}

/**
 * The state a stored record holds: a binary record, or the JSON text of stores written
 * before it. Throws a `ChurnkitError` (`STATE_FORMAT`) naming what is wrong for anything else
 * (truncated, another format version, bounds exceeded).
 *
 * @example
 * const state = decodeCustomerState(row.state); // Uint8Array or legacy JSON text
 */
export function decodeCustomerState(stored: StoredState): CustomerState {
  stored = asTextIfJson(stored);
  if (typeof stored === 'string') return parseLegacyJson(stored);
  const header = readHeader(stored);
  const state = createCustomerState();
  readScalars(header, state);
  const { view } = header;
  let at = BUCKETS_AT;
  if (header.format === COMPACT_STATE_FORMAT) {
    at = readCompactDays(stored, header, (day, events, orders, revenue, sessions, emailOpens) => {
      state.days.push([day, events, orders, revenue, sessions, emailOpens]);
    });
  } else {
    for (let i = 0; i < header.days; i++) {
      state.days.push([
        view.getInt32(at, true),
        view.getUint32(at + 4, true),
        view.getUint32(at + 8, true),
        view.getFloat64(at + 20, true),
        view.getUint32(at + 12, true),
        view.getUint32(at + 16, true),
      ]);
      at += BUCKET_BYTES;
    }
  }
  for (let i = 0; i < header.categories; i++) {
    if (at + 2 > stored.length) throw formatError(`truncated in category ${i + 1} of ${header.categories}`);
    const length = view.getUint16(at, true);
    if (at + 2 + length > stored.length) throw formatError(`truncated in category ${i + 1} of ${header.categories}`);
    try {
      state.categories.push(utf8Decoder.decode(stored.subarray(at + 2, at + 2 + length)));
    } catch (error) {
      throw formatError(`category ${i + 1} is not UTF-8 (${(error as Error).message})`);
    }
    at += 2 + length;
  }
  if (at !== stored.length) throw formatError(`${stored.length - at} bytes after the last category`);
  return state;
}

/** Reused by `storedFeaturesAt` for the sums it reads and adds up (one read runs at a time on a thread). */
const scratch = createCustomerState();
const scratchAggregates = {} as CustomerAggregates;

/**
 * The customer's features at `asOfMs`, read straight from the stored record: exactly
 * `featuresAt(decodeCustomerState(stored), asOfMs)`, bit for bit, but without building the
 * state (no day arrays, no category strings) or any object besides the features. The
 * request path's cold read.
 *
 * @example
 * const features = storedFeaturesAt(row.state, Date.now());
 */
export function storedFeaturesAt(stored: StoredState, asOfMs: number): Record<FeatureName, number> {
  stored = asTextIfJson(stored);
  if (typeof stored === 'string') return featuresAt(parseLegacyJson(stored), asOfMs);
  const header = readHeader(stored);
  readScalars(header, scratch);
  const aggregates = aggregatesBeforeDays(scratch, asOfMs, header.categories, scratchAggregates);
  const observedDay = lastObservedDay(asOfMs);
  if (header.format === COMPACT_STATE_FORMAT) {
    readCompactDays(stored, header, (day, events, orders, revenue, sessions, emailOpens) => {
      addDayToWindows(aggregates, observedDay - day, events, orders, revenue, sessions, emailOpens);
    });
    return featuresFromAggregates(aggregates, asOfMs);
  }
  const { view } = header;
  let at = BUCKETS_AT;
  for (let i = 0; i < header.days; i++) {
    addDayToWindows(
      aggregates,
      observedDay - view.getInt32(at, true),
      view.getUint32(at + 4, true),
      view.getUint32(at + 8, true),
      view.getFloat64(at + 20, true),
      view.getUint32(at + 12, true),
      view.getUint32(at + 16, true),
    );
    at += BUCKET_BYTES;
  }
  return featuresFromAggregates(aggregates, asOfMs);
}
