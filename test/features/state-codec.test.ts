import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChurnkitError } from '../../src/errors.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { applyEvent, createCustomerState, featuresAt, FEATURE_NAMES, type CustomerState, type DayBucket } from '../../src/features/online-state.js';
import {
  COMPACT_STATE_FORMAT,
  decodeCustomerState,
  encodeCustomerState,
  encodeCustomerStateTransient,
  FIXED_STATE_FORMAT,
  storedFeaturesAt,
  type StateFormat,
} from '../../src/features/state-codec.js';
import { syntheticLog } from './synthetic-log.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);
/** Seeded: every run checks the same cases, and a failure prints the seed and path to replay it. */
const RUNS = { seed: 20261202, numRuns: 2_000 };

const eventArbitrary: fc.Arbitrary<Omit<ChurnEvent, 'customerId'>> = fc.record(
  {
    ts: fc.integer({ min: START, max: START + 900 * DAY_MS }),
    type: fc.constantFrom('order', 'session_start', 'page_view', 'search', 'add_to_cart', 'refund', 'support_ticket', 'review', 'coupon_redeemed', 'email_open', 'wishlist_add'),
    value: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    quantity: fc.integer({ min: 0, max: 20 }),
    category: fc.string({ maxLength: 30, unit: 'grapheme' }),
    rating: fc.integer({ min: 0, max: 10 }),
    channel: fc.constantFrom('web', 'app', 'social', 'email', 'kiosk'),
  },
  { requiredKeys: ['ts', 'type'] },
);

/** A customer's state after a random history, applied in the order given (late events included). */
const stateArbitrary: fc.Arbitrary<CustomerState> = fc.array(eventArbitrary, { maxLength: 120 }).map((events) => {
  const state = createCustomerState();
  for (const event of events) applyEvent(state, { customerId: 'c', ...event });
  return state;
});

/** Equal bit for bit: Object.is tells 0 from -0 and compares NaN with itself. */
function expectSameBits(actual: Record<string, number>, expected: Record<string, number>): void {
  for (const name of FEATURE_NAMES) expect(Object.is(actual[name], expected[name]), `${name}: ${actual[name]} vs ${expected[name]}`).toBe(true);
}

function expectStateFormatError(work: () => unknown): void {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ChurnkitError);
    expect((error as ChurnkitError).code).toBe('STATE_FORMAT');
    return;
  }
}

const FORMATS: readonly StateFormat[] = [FIXED_STATE_FORMAT, COMPACT_STATE_FORMAT];

describe.each(FORMATS)('the binary customer state in format %i', (format) => {
  it('gives back exactly the state it was given, for any history', () => {
    fc.assert(
      fc.property(stateArbitrary, (state) => {
        expect(decodeCustomerState(encodeCustomerState(state, format))).toEqual(state);
      }),
      RUNS,
    );
  });

  it('reads features from the bytes bit-identical to featuresAt on the state, at any cut-off', () => {
    fc.assert(
      fc.property(stateArbitrary, fc.integer({ min: START - 10 * DAY_MS, max: START + 1_400 * DAY_MS }), (state, asOf) => {
        expectSameBits(storedFeaturesAt(encodeCustomerState(state, format), asOf), featuresAt(state, asOf));
      }),
      RUNS,
    );
  });

  it('keeps a real history the same through many write-read trips, as a store does between events', () => {
    const log = syntheticLog({ customers: 60, seed: 3, startMs: START, days: 730 });
    const direct = new Map<string, CustomerState>();
    const stored = new Map<string, Uint8Array>();
    for (const event of log) {
      applyEvent(direct.get(event.customerId) ?? direct.set(event.customerId, createCustomerState()).get(event.customerId)!, event);
      const previous = stored.get(event.customerId);
      stored.set(event.customerId, encodeCustomerState(applyEvent(previous ? decodeCustomerState(previous) : createCustomerState(), event), format));
    }
    const asOf = START + 731 * DAY_MS;
    for (const [customerId, state] of direct) {
      expectSameBits(storedFeaturesAt(stored.get(customerId)!, asOf), featuresAt(state, asOf));
    }
  });

  it('refuses truncations and flipped bits with STATE_FORMAT or reads them as some state, never anything else', () => {
    fc.assert(
      fc.property(stateArbitrary, fc.nat(), fc.nat(7), fc.boolean(), (state, position, bit, truncate) => {
        const bytes = encodeCustomerState(state, format);
        const damaged = truncate ? bytes.subarray(0, position % bytes.length) : Uint8Array.from(bytes);
        if (!truncate) damaged[position % damaged.length]! ^= 1 << bit;
        expectStateFormatError(() => decodeCustomerState(damaged));
        expectStateFormatError(() => storedFeaturesAt(damaged, START));
      }),
      RUNS,
    );
  });

  it('reads a record at the bounds: 365 day buckets with the largest counts and days, and 64 categories', () => {
    const full = createCustomerState();
    full.days = Array.from({ length: 365 }, (_, day): DayBucket => [day % 2 === 0 ? 0x7fffffff - 365 + day : -0x80000000 + day, 0xffffffff, 0xffffffff, -1.5, 0xffffffff, 0xffffffff]);
    full.categories = Array.from({ length: 64 }, (_, i) => `c${i}`);
    const bytes = encodeCustomerState(full, format);
    expect(decodeCustomerState(bytes)).toEqual(full);
    expect(bytes.length).toBeLessThanOrEqual(240 + 365 * (format === COMPACT_STATE_FORMAT ? 34 : 28) + 64 * (2 + 3));
  });
});

describe('the compact binary format (2)', () => {
  const typical = () => {
    const state = createCustomerState();
    for (let day = 0; day < 30; day++) applyEvent(state, { customerId: 'c', ts: START + day * 5 * DAY_MS, type: day % 5 === 0 ? 'order' : 'page_view', value: 30, category: 'shoes' });
    return state;
  };

  it('writes a typical customer in under half the bytes of format 1, which it otherwise equals up to the days', () => {
    const fixed = encodeCustomerState(typical(), FIXED_STATE_FORMAT);
    const compact = encodeCustomerState(typical(), COMPACT_STATE_FORMAT);
    expect(compact.length).toBeLessThan(fixed.length / 2);
    expect(compact[2]).toBe(2);
    expect(compact.subarray(3, 240)).toEqual(fixed.subarray(3, 240));
    expect(compact.subarray(compact.length - 7)).toEqual(fixed.subarray(fixed.length - 7));
  });

  it('writes a day of page views in 3 bytes and a day with an order in 12: the distance from the day before, the flags, the counts flagged, the revenue', () => {
    const state = createCustomerState();
    applyEvent(state, { customerId: 'c', ts: START, type: 'page_view' });
    applyEvent(state, { customerId: 'c', ts: START + 3 * DAY_MS, type: 'order', value: 2.5 });
    const bytes = encodeCustomerState(state, COMPACT_STATE_FORMAT);
    const firstDay = START / DAY_MS;
    const zigzag = firstDay * 2;
    // The first day's distance from day 0 (zigzag 2 × 19,723 = 39,446: three varint bytes), no flags, 1 event.
    expect([...bytes.subarray(240, 245)]).toEqual([(zigzag % 128) | 128, (Math.floor(zigzag / 128) % 128) | 128, Math.floor(zigzag / 16_384), 0, 1]);
    // Three days later (zigzag 6), orders and revenue flagged, 1 event, 1 order, 2.5 as a float64.
    expect([...bytes.subarray(245, 249)]).toEqual([6, 1 | 2, 1, 1]);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getFloat64(249, true)).toBe(2.5);
    expect(bytes.length).toBe(257);
  });

  it('reads days given out of order (legacy JSON is not checked for order) with negative distances', () => {
    const state = createCustomerState();
    state.days = [[20_000, 1, 0, 0, 0, 0], [19_000, 2, 0, 0, 1, 0], [-5, 1, 0, 0, 0, 3]];
    expect(decodeCustomerState(encodeCustomerState(state, COMPACT_STATE_FORMAT))).toEqual(state);
  });

  it('refuses a varint longer than 5 bytes, a count beyond a u32, a day beyond an i32 and flags it does not know', () => {
    const oneDay = (days: number[]) => {
      const header = encodeCustomerState(createCustomerState(), COMPACT_STATE_FORMAT);
      const bytes = new Uint8Array(header.length + days.length);
      bytes.set(header);
      new DataView(bytes.buffer).setUint16(6, 1, true);
      bytes.set(days, header.length);
      return bytes;
    };
    expect(decodeCustomerState(oneDay([2, 0, 1])).days).toEqual([[1, 1, 0, 0, 0, 0]]);
    expectRefused(() => decodeCustomerState(oneDay([0x80, 0x80, 0x80, 0x80, 0x80, 0, 0, 1])), /varint longer than 5 bytes/);
    expectRefused(() => storedFeaturesAt(oneDay([2, 0, 0x80, 0x80, 0x80, 0x80, 0x10]), START), /count of 4294967296/);
    expectRefused(() => decodeCustomerState(oneDay([0x80, 0x80, 0x80, 0x80, 0x10, 0, 1])), /day 2147483648 .*outside the format's range/);
    expectRefused(() => decodeCustomerState(oneDay([2, 16, 1])), /flags 16/);
    expectRefused(() => decodeCustomerState(oneDay([2, 2, 1, 0, 0])), /truncated in the day buckets/);
  });
});

describe('the binary customer state', () => {

  it('encodes into one shared buffer without a trace of the record before, and hands out copies that later encodes leave alone', () => {
    fc.assert(
      fc.property(stateArbitrary, stateArbitrary, (first, second) => {
        const kept = encodeCustomerState(second);
        const firstBytes = encodeCustomerState(first);
        // The shared buffer now holds `first` (which may be longer): `second` written over it must read as itself alone.
        expect(encodeCustomerStateTransient(first)).toEqual(firstBytes);
        const transient = encodeCustomerStateTransient(second);
        expect(transient).toEqual(kept);
        expect(decodeCustomerState(transient)).toEqual(second);
        // The copies are untouched by the encodes after them.
        expect(decodeCustomerState(kept)).toEqual(second);
        expect(decodeCustomerState(firstBytes)).toEqual(first);
      }),
      { ...RUNS, numRuns: 500 },
    );
  });

  it('reads the JSON text of stores written before it, to the same features', () => {
    fc.assert(
      fc.property(stateArbitrary, fc.integer({ min: START, max: START + 1_000 * DAY_MS }), (state, asOf) => {
        const json = JSON.stringify(state);
        expect(decodeCustomerState(json)).toEqual(JSON.parse(json));
        expectSameBits(storedFeaturesAt(json, asOf), featuresAt(JSON.parse(json) as CustomerState, asOf));
      }),
      { ...RUNS, numRuns: 300 },
    );
  });

  it('stays small: a few hundred bytes for a typical customer, bounded for the busiest', () => {
    const typical = createCustomerState();
    for (let day = 0; day < 12; day++) applyEvent(typical, { customerId: 'c', ts: START + day * 9 * DAY_MS, type: day % 3 === 0 ? 'order' : 'page_view', value: 30, category: 'shoes' });
    expect(encodeCustomerState(typical).length).toBeLessThan(700);
    expect(encodeCustomerState(typical).length).toBeLessThan(JSON.stringify(typical).length);

    const busiest = createCustomerState();
    for (let day = 0; day < 800; day++) {
      applyEvent(busiest, { customerId: 'c', ts: START + day * DAY_MS, type: 'order', value: 1, category: `category-${day % 100}`.padEnd(200, 'x') });
    }
    expect(busiest.days).toHaveLength(365);
    expect(encodeCustomerState(busiest).length).toBeLessThanOrEqual(240 + 365 * 28 + 64 * (2 + 200));
  });

  it('refuses random bytes with STATE_FORMAT or reads them as some state, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expectStateFormatError(() => decodeCustomerState(bytes));
        expectStateFormatError(() => storedFeaturesAt(bytes, START));
      }),
      RUNS,
    );
    // Past the magic, as either format: random days and categories.
    fc.assert(
      fc.property(fc.constantFrom(...FORMATS), fc.uint8Array({ minLength: 240, maxLength: 600 }), (format, bytes) => {
        bytes.set([0x43, 0x4b, format]);
        bytes[4] = bytes[4]! % 8;
        bytes[7] = 0;
        expectStateFormatError(() => decodeCustomerState(bytes));
        expectStateFormatError(() => storedFeaturesAt(bytes, START));
      }),
      RUNS,
    );
  });

  it('names what is wrong: another format version, a truncated record, text that is no state', () => {
    const bytes = encodeCustomerState(applyEvent(createCustomerState(), { customerId: 'c', ts: START, type: 'order', value: 5, category: 'shoes' }));
    const future = Uint8Array.from(bytes);
    future[2] = 3;
    expect(() => decodeCustomerState(future)).toThrow(/format 3, this version reads formats 1 and 2/);
    expect(() => decodeCustomerState(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodeCustomerState('{"version":7}')).toThrow(/not a version 1 customer state/);
    expect(() => storedFeaturesAt('not json', START)).toThrow(ChurnkitError);
    expect(decodeCustomerState(new TextEncoder().encode(JSON.stringify(createCustomerState())))).toEqual(createCustomerState());
    expect(() => decodeCustomerState(Uint8Array.of(0x7b, 0xff, 0xfe))).toThrow(/not UTF-8/);
  });

  it('refuses to store what no store should hold: a day outside the format, too many categories', () => {
    const farFuture = applyEvent(createCustomerState(), { customerId: 'c', ts: 1e20, type: 'page_view' });
    expect(() => encodeCustomerState(farFuture)).toThrow(/outside the format's range/);
    const crowded = createCustomerState();
    crowded.categories = Array.from({ length: 65 }, (_, i) => `c${i}`);
    expect(() => encodeCustomerState(crowded)).toThrow(/65 categories/);
  });

  it('counts a category in UTF-8 bytes, whether it is ASCII (written directly) or not', () => {
    const withCategory = (category: string) => Object.assign(createCustomerState(), { categories: [category] });
    // At the limit (65,535 ASCII characters, or 21,845 three-byte ones), then one byte over it.
    for (const category of ['a'.repeat(65_535), '€'.repeat(21_845)]) {
      expect(decodeCustomerState(encodeCustomerState(withCategory(category))).categories).toEqual([category]);
    }
    expect(() => encodeCustomerState(withCategory('a'.repeat(65_536)))).toThrow(/65536 UTF-8 bytes/);
    expect(() => encodeCustomerState(withCategory(`${'€'.repeat(21_845)}a`))).toThrow(/65536 UTF-8 bytes/);
    // Mixed scripts keep their order and bytes: one stored category after another.
    const mixed = ['shoes', 'Schuhe für Kinder', 'shoes-2', '靴', 'x'];
    const stored = encodeCustomerState(Object.assign(createCustomerState(), { categories: mixed }));
    expect(decodeCustomerState(stored).categories).toEqual(mixed);
  });
});

/** Throws a ChurnkitError with code STATE_FORMAT whose message matches `message`: unlike `expectStateFormatError`, reading it as some state fails. */
function expectRefused(work: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    work();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected the record to be refused').toBeInstanceOf(ChurnkitError);
  expect((thrown as ChurnkitError).code).toBe('STATE_FORMAT');
  expect((thrown as ChurnkitError).message).toMatch(message);
}

/** A binary record whose header claims `days` buckets and `categories` categories, zero-filled to exactly the length those need (every category empty). */
function claimedRecord(days: number, categories: number): Uint8Array {
  const header = encodeCustomerState(createCustomerState());
  const bytes = new Uint8Array(header.length + days * 28 + categories * 2);
  bytes.set(header);
  bytes[4] = categories;
  new DataView(bytes.buffer).setUint16(6, days, true);
  return bytes;
}

/** Format 1's sums in stored order, written out here so a change to the layout cannot pass unnoticed. */
const STORED_SUMS = [
  'firstEventMs', 'lastEventMs', 'lastOrderMs', 'firstOrderDay', 'lastOrderDay',
  'eventsTotal', 'ordersTotal', 'revenueTotal', 'itemsTotal', 'orderDays', 'orderGapSquaresSum',
  'sessionsTotal', 'pageViewsTotal', 'searchesTotal', 'addToCartTotal', 'refundsTotal',
  'supportTicketsTotal', 'reviewsTotal', 'ratingSum', 'ratingCount', 'couponsTotal',
  'channels.web', 'channels.app', 'channels.social', 'channels.other',
  'hourSinSum', 'hourCosSum', 'weekdaySinSum', 'weekdayCosSum',
] as const;

/** A state whose every sum holds a value of its own: sum i holds 1000 + i + 0.25. */
function stateWithDistinctSums(): CustomerState {
  const state = createCustomerState() as unknown as Record<string, unknown> & { channels: Record<string, number> };
  STORED_SUMS.forEach((path, index) => {
    const value = 1000 + index + 0.25;
    if (path.startsWith('channels.')) state.channels[path.slice('channels.'.length)] = value;
    else state[path] = value;
  });
  return state as unknown as CustomerState;
}

function sumAt(state: CustomerState, path: (typeof STORED_SUMS)[number]): number | null {
  return path.startsWith('channels.') ? state.channels[path.slice('channels.'.length) as keyof CustomerState['channels']] : (state[path as keyof CustomerState] as number | null);
}

describe('the layout of format 1, byte for byte (records already stored must keep reading the same)', () => {
  it('writes the 29 sums as little-endian float64s from byte 8, in the documented order, and reads each back into its own field', () => {
    const state = stateWithDistinctSums();
    const bytes = encodeCustomerState(state);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    STORED_SUMS.forEach((path, index) => {
      expect(view.getFloat64(8 + 8 * index, true), path).toBe(1000 + index + 0.25);
    });
    const decoded = decodeCustomerState(bytes);
    for (const path of STORED_SUMS) expect(sumAt(decoded, path), path).toBe(sumAt(state, path));
  });

  it('sets absent bit i for the i-th nullable sum that is null, and reads it back as null rather than 0', () => {
    const nullable = STORED_SUMS.slice(0, 5);
    nullable.forEach((path, bit) => {
      const state = stateWithDistinctSums();
      (state as unknown as Record<string, unknown>)[path] = null;
      const bytes = encodeCustomerState(state);
      expect(bytes[3], path).toBe(1 << bit);
      const decoded = decodeCustomerState(bytes);
      for (const other of nullable) expect(sumAt(decoded, other), `${other} with ${path} null`).toBe(other === path ? null : sumAt(state, other));
    });
  });
});

describe('the binary customer state at the edges of its format', () => {
  const oneOrder = () => applyEvent(createCustomerState(), { customerId: 'c', ts: START, type: 'order', value: 5, category: 'shoes' });

  it('refuses a valid record of either format followed by one byte more, with or without categories', () => {
    // A record's length is exactly what its header says: a stray byte means the record is not what it claims.
    for (const [state, format] of FORMATS.flatMap((format) => [oneOrder(), applyEvent(createCustomerState(), { customerId: 'c', ts: START, type: 'page_view' })].map((state) => [state, format] as const))) {
      const bytes = encodeCustomerState(state, format);
      expect(decodeCustomerState(bytes)).toEqual(state);
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      expectRefused(() => decodeCustomerState(longer), /1 bytes after the last category/);
    }
  });

  it('refuses a header claiming more than 365 day buckets or more than 64 categories, even padded to the length it claims', () => {
    // The length check alone would pass these: the bounds are checked on their own.
    expect(decodeCustomerState(claimedRecord(0, 0))).toEqual(createCustomerState());
    for (const [days, categories] of [[366, 0], [0, 65], [366, 65], [0xffff, 0], [0, 0xff]] as const) {
      const bytes = claimedRecord(days, categories);
      expectRefused(() => decodeCustomerState(bytes), new RegExp(`${days} days and ${categories} categories, beyond the format's bounds`));
      expectRefused(() => storedFeaturesAt(bytes, START), /beyond the format's bounds/);
    }
  });

  it('reads a record at the bounds: 365 day buckets and 64 categories', () => {
    const full = createCustomerState();
    full.days = Array.from({ length: 365 }, (_, day): DayBucket => [19_000 + day, 1, 0, 0, 0, 0]);
    full.eventsTotal = 365;
    full.categories = Array.from({ length: 64 }, (_, i) => `c${i}`);
    expect(decodeCustomerState(encodeCustomerState(full))).toEqual(full);
    // The same bounds read as padding alone.
    expect(decodeCustomerState(claimedRecord(365, 64)).days).toHaveLength(365);
  });

  it('refuses JSON text of any version but 1, though shaped like a state', () => {
    // A later JSON version may mean something else by the same fields: never read it as version 1.
    for (const version of [2, 0]) {
      const json = JSON.stringify({ ...createCustomerState(), version });
      expectRefused(() => decodeCustomerState(json), /not a version 1 customer state/);
      expectRefused(() => decodeCustomerState(new TextEncoder().encode(json)), /not a version 1 customer state/);
      expectRefused(() => storedFeaturesAt(json, START), /not a version 1 customer state/);
    }
    expect(decodeCustomerState(JSON.stringify(createCustomerState()))).toEqual(createCustomerState());
  });

  it('refuses legacy JSON that parses but holds what no state can (found breaking the demo dashboard with a TypeError)', () => {
    const base = createCustomerState();
    const broken: [string, object][] = [
      ['day bucket 1 is not six finite numbers', { ...base, days: [null] }],
      ['day bucket 2 is not six finite numbers', { ...base, days: [[1, 1, 0, 0, 0, 0], [1, 1, 0]] }],
      ['"eventsTotal" is not a finite number', { ...base, eventsTotal: '3' }],
      ['"revenueTotal" is not a finite number', { ...base, revenueTotal: null }],
      ['"web" is not a finite number', { ...base, channels: { ...base.channels, web: undefined } }],
      ['without its channels', { ...base, channels: null }],
      ['categories are not at most 64 texts', { ...base, categories: [3] }],
    ];
    for (const [message, state] of broken) {
      expectRefused(() => decodeCustomerState(JSON.stringify(state)), new RegExp(message.replace(/[()"]/g, '.')));
      expectRefused(() => storedFeaturesAt(JSON.stringify(state), START), new RegExp(message.replace(/[()"]/g, '.')));
    }
    // 1e400 parses to Infinity.
    expectRefused(() => decodeCustomerState(JSON.stringify(base).replace('"ordersTotal":0', '"ordersTotal":1e400')), /"ordersTotal" is not a finite number/);
    // Null where a state may have it is read as it is.
    expect(decodeCustomerState(JSON.stringify({ ...base, lastOrderMs: null }))).toEqual(base);
  });

  it('saturates a day count of 2**32 or more at 4,294,967,295 rather than wrapping it round to a small one', () => {
    const MAX_U32 = 4_294_967_295;
    const busy = createCustomerState();
    // [day, events, orders, revenue, sessions, email opens]: revenue is a float64 and kept as it is.
    busy.days = [
      [19_000, 2 ** 32, 2 ** 32 + 5, 1e12, 2 ** 40, 1e15],
      [19_001, MAX_U32, MAX_U32 - 1, 7.5, 3, 0],
    ];
    const decoded = decodeCustomerState(encodeCustomerState(busy));
    expect(decoded.days).toEqual([
      [19_000, MAX_U32, MAX_U32, 1e12, MAX_U32, MAX_U32],
      [19_001, MAX_U32, MAX_U32 - 1, 7.5, 3, 0],
    ]);
  });
});
