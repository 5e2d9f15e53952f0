import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { OptionsError } from '../../src/errors.js';
import { KNOWN_CHANNELS, KNOWN_EVENT_TYPES } from '../../src/events/event-types.js';
import { readEvents } from '../../src/events/read-events.node.js';
import type { ChurnEvent } from '../../src/events/types.js';
import { createStorefront } from '../../src/generate/generate-events.js';
import { writeStorefrontFiles } from '../../src/generate/write-storefront-files.node.js';

const dir = mkdtempSync(join(tmpdir(), 'churnkit-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = { customers: 300, days: 90, seed: 5 };

describe('writeStorefrontFiles', () => {
  test('the same seed gives a byte-identical event log and truth; another seed gives a different log', async () => {
    const first = await writeStorefrontFiles({ ...SMALL, out: join(dir, 'a.csv'), truth: join(dir, 'a-truth.csv') });
    await writeStorefrontFiles({ ...SMALL, out: join(dir, 'b.csv'), truth: join(dir, 'b-truth.csv') });
    await writeStorefrontFiles({ ...SMALL, seed: 6, out: join(dir, 'c.csv') });

    expect(first.events).toBeGreaterThan(1_000);
    const bytes = (name: string): Buffer => readFileSync(join(dir, name));
    // Buffer#equals, not toEqual: a deep comparison of a megabyte byte by byte takes seconds.
    expect(bytes('b.csv').equals(bytes('a.csv'))).toBe(true);
    expect(bytes('b-truth.csv').equals(bytes('a-truth.csv'))).toBe(true);
    expect(bytes('c.csv').equals(bytes('a.csv'))).toBe(false);
  });

  test('every row passes the strict event reader: known types and channels, time order, sane values', async () => {
    const out = join(dir, 'schema.csv');
    const result = await writeStorefrontFiles({ ...SMALL, out, startDate: '2024-02-01' });
    const start = Date.UTC(2024, 1, 1);
    const end = start + SMALL.days * 86_400_000;
    const types = new Set<string>();
    const problems: string[] = [];
    let count = 0;
    let previous = start;
    for await (const event of readEvents(out, { format: 'csv', strict: true })) {
      count++;
      types.add(event.type);
      if (event.ts < previous || event.ts >= end) problems.push(`event ${count}: time ${event.ts} out of order or range`);
      previous = event.ts;
      problems.push(...fieldProblems(event).map((problem) => `event ${count} (${event.type}): ${problem}`));
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(count).toBe(result.events);
    // A 90-day store of 300 customers shows every kind of event.
    expect([...types].sort()).toEqual([...KNOWN_EVENT_TYPES].sort());
  });

  test('the ground truth lists every customer once, with a known segment and churn only after sign-up', async () => {
    const truthFile = join(dir, 'truth.csv');
    const result = await writeStorefrontFiles({ ...SMALL, out: join(dir, 'events-for-truth.csv'), truth: truthFile });
    const [header, ...rows] = readFileSync(truthFile, 'utf8').trimEnd().split('\n');
    expect(header).toBe('customer_id,segment,signed_up_at,churned_at,coupon_responsive,bad_experiences,orders');
    expect(rows).toHaveLength(SMALL.customers);
    expect(new Set(rows.map((row) => row.split(',')[0])).size).toBe(SMALL.customers);
    let churned = 0;
    for (const row of rows) {
      const [, segment, signedUpAt, churnedAt, responsive, bad, orders] = row.split(',');
      expect(['loyal', 'regular', 'deal_seeker', 'occasional']).toContain(segment);
      expect(['0', '1']).toContain(responsive);
      expect(Number(bad)).toBeGreaterThanOrEqual(0);
      expect(Number(orders)).toBeGreaterThanOrEqual(Number(bad));
      if (churnedAt !== '') {
        churned++;
        expect(Date.parse(churnedAt!)).toBeGreaterThan(Date.parse(signedUpAt!));
      }
    }
    expect(churned).toBe(result.churned);
  });

  test('the iterable API yields exactly the events of the file', async () => {
    const out = join(dir, 'iterable.csv');
    await writeStorefrontFiles({ ...SMALL, out });
    const fromFile: ChurnEvent[] = [];
    for await (const event of readEvents(out, { format: 'csv', strict: true })) fromFile.push(event);
    const store = createStorefront(SMALL);
    const fromIterable = [...store.events()];
    expect(fromIterable).toEqual(fromFile);
    expect(store.truth()).toHaveLength(SMALL.customers);
  });

  test('rejects invalid options before writing anything', async () => {
    await expect(writeStorefrontFiles({ ...SMALL, customers: 0, out: join(dir, 'never.csv') })).rejects.toThrow(/"customers"/);
    await expect(writeStorefrontFiles({ ...SMALL, days: 1.5, out: join(dir, 'never.csv') })).rejects.toThrow(OptionsError);
    await expect(writeStorefrontFiles({ ...SMALL, startDate: '2025-02-30', out: join(dir, 'never.csv') })).rejects.toThrow(/"startDate"/);
    expect(readdirSync(dir).filter((name) => name.startsWith('never'))).toEqual([]);
  });

  test('an unwritable path is OUTPUT_UNWRITABLE naming the file, as for every output, and no temporary file is left behind', async () => {
    const out = join(dir, 'missing-folder', 'events.csv');
    await expect(writeStorefrontFiles({ ...SMALL, out })).rejects.toMatchObject({ name: 'ChurnkitError', code: 'OUTPUT_UNWRITABLE' });
    await expect(writeStorefrontFiles({ ...SMALL, out })).rejects.toThrow(/missing-folder.*folder does not exist/);
    await expect(writeStorefrontFiles({ ...SMALL, out: join(dir, 'events.csv'), truth: join(dir, 'missing-folder', 'truth.csv') })).rejects.toThrow(/truth\.csv.*folder does not exist/);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  test('the ground truth is refused until the events have all been generated, and the events play only once', () => {
    const store = createStorefront(SMALL);
    expect(() => store.truth()).toThrow(/after events\(\)/);
    expect([...store.events()].length).toBeGreaterThan(0);
    expect(() => store.events().next()).toThrow(/only once/);
  });
});

/** What is wrong with one generated event, if anything (collected: an expect per event would take seconds). */
function fieldProblems(event: ChurnEvent): string[] {
  const problems: string[] = [];
  if (!/^C\d{6}$/.test(event.customerId)) problems.push(`customer id "${event.customerId}"`);
  if (!(KNOWN_EVENT_TYPES as readonly string[]).includes(event.type)) problems.push('unknown type');
  if (event.value !== undefined && !(Number.isFinite(event.value) && event.value >= 0)) problems.push(`value ${event.value}`);
  if (event.quantity !== undefined && !(Number.isInteger(event.quantity) && event.quantity >= 1)) problems.push(`quantity ${event.quantity}`);
  if (event.rating !== undefined && ![1, 2, 3, 4, 5].includes(event.rating)) problems.push(`rating ${event.rating}`);
  if (['order', 'add_to_cart', 'refund'].includes(event.type) && !(event.value! > 0)) problems.push('no positive value');
  if (event.type === 'review' && event.rating === undefined) problems.push('review without rating');
  const sessionChannelKnown = (KNOWN_CHANNELS as readonly string[]).includes(event.channel ?? '');
  if (event.type === 'session_start' && !sessionChannelKnown) problems.push(`channel ${event.channel}`);
  return problems;
}
