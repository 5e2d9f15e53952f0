import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ChurnkitError, OptionsError } from '../../../src/errors.js';
import type { ChurnEvent } from '../../../src/events/types.js';
import { applyEvent, createCustomerState, featuresAt } from '../../../src/features/online-state.js';
import { COMPACT_STATE_FORMAT, decodeCustomerState, encodeCustomerState, FIXED_STATE_FORMAT } from '../../../src/features/state-codec.js';
import { prepareSchema } from '../../../plugin/store/sqlite-schema.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import { SqliteWrites } from '../../../plugin/store/sqlite-writes.js';
import { decision, describeStoreBehaviour, sampleEvents } from './store-behaviour.js';

const root = mkdtempSync(join(tmpdir(), 'churnkit-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let opened = 0;
const dirOf = new WeakMap<object, string>();
const DAY_MS = 86_400_000;

/** A store file in `dataDir` as an earlier version wrote it: `schema` run on a new WAL database, left open for rows. */
/** Customer c1's stored state and the binary format it is stored in (the record's byte 2). */
async function readState(dataDir: string): Promise<{ state: ReturnType<typeof decodeCustomerState>; format: number }> {
  const db = new Database(join(dataDir, 'churnkit.sqlite'), { readonly: true });
  try {
    const { state } = db.prepare('SELECT state FROM customers WHERE customer_id = ?').get('c1') as { state: Buffer };
    return { state: decodeCustomerState(state), format: state[2]! };
  } finally {
    db.close();
  }
}

function legacyFile(dataDir: string, schema: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const legacy = new Database(join(dataDir, 'churnkit.sqlite'));
  legacy.pragma('journal_mode = WAL');
  legacy.exec(schema);
  return legacy;
}

/** The database file and its write-ahead log, as bytes on disk. */
function fileBytes(dataDir: string): Buffer {
  const file = join(dataDir, 'churnkit.sqlite');
  return Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
}

describeStoreBehaviour('SQLite', {
  async open(options) {
    const dataDir = join(root, `store-${opened++}`);
    const store = openSqliteStore({ dataDir, ...options });
    dirOf.set(store, dataDir);
    return store;
  },
  async reopen(first, options) {
    const dataDir = dirOf.get(first)!;
    const store = openSqliteStore({ dataDir, ...options });
    dirOf.set(store, dataDir);
    return store;
  },
  async storedBytes(store) {
    return fileBytes(dirOf.get(store)!);
  },
});

/**
 * Another process holding the SQLite write lock (BEGIN IMMEDIATE) for `holdMs`: resolves with
 * a `released` promise once the lock is taken.
 */
async function lockFromAnotherProcess(file: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const script = `
    const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO budget (day, spent) VALUES ('lock', 0) ON CONFLICT (day) DO NOTHING").run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the locking process exited (${code}) before locking`)));
  });
  return { released: new Promise((resolve) => child.once('exit', () => resolve())) };
}

const anyDecision = { customerId: 'c1', ts: 1, day: '2026-11-23', modelVersion: 'v', probability: 0.5, customerValue: 1, group: 'treatment' as const, action: null, cost: 0, expectedValues: {}, skipped: {}, explanation: '' };

describe('SQLite store file', () => {
  it("reads a customer's state and recent decisions for a view without parsing any JSON (the decisions come from their columns)", async () => {
    const store = openSqliteStore({ dataDir: join(root, 'view-without-json') });
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const events = sampleEvents('c1');
      await store.appendEvents(events);
      await store.recordDecision({ ...decision(), ts: events[0]!.ts + 20 * DAY_MS }, Infinity);
      await store.recordDecision({ ...decision(), ts: events[0]!.ts + 21 * DAY_MS, action: null, cost: 0 }, Infinity);
      await store.recordDecision({ ...decision(), ts: events[0]!.ts + 1 * DAY_MS }, Infinity);
      parse.mockClear();
      const view = store.readCustomerViewNow!('c1', events[0]!.ts + 30 * DAY_MS, events[0]!.ts + 2 * DAY_MS);
      expect(parse).not.toHaveBeenCalled();
      expect(view.decisions).toEqual([
        { ts: events[0]!.ts + 20 * DAY_MS, action: 'coupon' },
        { ts: events[0]!.ts + 21 * DAY_MS, action: null },
      ]);
      expect(view.features).toEqual(featuresAt(events.reduce(applyEvent, createCustomerState()), events[0]!.ts + 30 * DAY_MS));
    } finally {
      parse.mockRestore();
      await store.close();
    }
  });

  it('lists a customer whose stored state cannot be decoded as unreadable (STATE_FORMAT), and the others as they are', async () => {
    const dataDir = join(root, 'unreadable-listing');
    const store = openSqliteStore({ dataDir });
    try {
      await store.appendEvents([...sampleEvents('a'), ...sampleEvents('b'), ...sampleEvents('c')]);
      const db = new Database(join(dataDir, 'churnkit.sqlite'));
      db.prepare('UPDATE customers SET state = ? WHERE customer_id = ?').run(Buffer.from('garbage'), 'b');
      db.close();
      const listed = await store.listCustomers(10);
      expect(listed.map(({ customerId, state }) => [customerId, state === null])).toEqual([['a', false], ['b', true], ['c', false]]);
      expect(listed[1]).toMatchObject({ state: null, unreadable: { code: 'STATE_FORMAT' } });
    } finally {
      await store.close();
    }
  });

  it('reads the challenger log a page at a time, every score once and in customer, time, insertion order across pages (ties too)', async () => {
    const store = openSqliteStore({ dataDir: join(root, 'challenger-pages') });
    try {
      // 12,003 scores over 7 customers, every third one at the same instant as the one before
      // it, written out of order: more than two pages, with ties on a page's edge.
      const scores = Array.from({ length: 12_003 }, (_, i) => ({
        customerId: `c${(i * 5) % 7}`,
        ts: 1_000 + (i - (i % 3 === 2 ? 1 : 0)) * 10,
        championVersion: 'v1',
        championProbability: (i % 100) / 100,
        challengerVersion: 'v2',
        challengerProbability: ((i * 7) % 100) / 100,
      }));
      for (let start = 0; start < scores.length; start += 1_000) await store.recordChallengerScores!(scores.slice(start, start + 1_000).reverse());
      const read = [];
      for await (const entry of store.challengerLog!()) read.push(entry.score);
      // Insertion order within a customer and instant: each block of 1,000 was written reversed.
      const inserted = Array.from({ length: 13 }, (_, block) => scores.slice(block * 1_000, block * 1_000 + 1_000).reverse()).flat();
      const expected = inserted
        .map((score, id) => ({ score, id }))
        .sort((a, b) => (a.score.customerId < b.score.customerId ? -1 : a.score.customerId > b.score.customerId ? 1 : a.score.ts - b.score.ts || a.id - b.id))
        .map(({ score }) => score);
      expect(read).toHaveLength(12_003);
      expect(read).toEqual(expected);
    } finally {
      await store.close();
    }
  });

  it("changes its external write mark on another connection's commit, never on its own", async () => {
    const dataDir = join(root, 'write-mark');
    const store = openSqliteStore({ dataDir });
    const other = openSqliteStore({ dataDir });
    try {
      const before = store.externalWriteMark!();
      await store.appendEvents(sampleEvents('c1'));
      await store.recordDecision(anyDecision, Infinity);
      await store.recordOutcome({ customerId: 'c1', ts: 1, retained: true });
      await store.eraseCustomer!('nobody');
      expect(store.externalWriteMark!()).toBe(before);
      await other.appendEvents(sampleEvents('c2'));
      const afterOther = store.externalWriteMark!();
      expect(afterOther).not.toBe(before);
      await store.appendEvents(sampleEvents('c3'));
      expect(store.externalWriteMark!()).toBe(afterOther);
      await other.recordDecision({ ...anyDecision, customerId: 'c2' }, Infinity);
      expect(store.externalWriteMark!()).not.toBe(afterOther);
    } finally {
      await other.close();
      await store.close();
    }
  });

  it('upgrades a file of schema 4 without rewriting its states: a format-1 state reads as it is, and is written in format 2 on its customer\'s next event', async () => {
    const dataDir = join(root, 'schema-4');
    const store = openSqliteStore({ dataDir });
    await store.appendEvents(sampleEvents('c1'));
    await store.close();
    // As schema 4 left it: the state in format 1.
    const state = (await readState(dataDir)).state;
    const file = new Database(join(dataDir, 'churnkit.sqlite'));
    file.prepare('UPDATE customers SET state = ? WHERE customer_id = ?').run(encodeCustomerState(state, FIXED_STATE_FORMAT), 'c1');
    file.pragma('user_version = 4');
    file.close();

    const upgraded = openSqliteStore({ dataDir });
    try {
      expect(await upgraded.getCustomerState('c1')).toEqual(state);
      expect((await readState(dataDir)).format).toBe(FIXED_STATE_FORMAT);
      const last = sampleEvents('c1').at(-1)!;
      await upgraded.appendEvents([{ ...last, ts: last.ts + DAY_MS }]);
      const after = await readState(dataDir);
      expect(after.format).toBe(COMPACT_STATE_FORMAT);
      expect(after.state.eventsTotal).toBe(state.eventsTotal + 1);
      expect(await upgraded.getCustomerState('c1')).toEqual(after.state);
    } finally {
      await upgraded.close();
    }
  });

  it('creates its data directory and a WAL-mode database holding each state as a binary record', async () => {
    const dataDir = join(root, 'nested', 'data');
    const store = openSqliteStore({ dataDir });
    await store.appendEvents(sampleEvents('c1'));
    await store.close();
    const db = new Database(join(dataDir, 'churnkit.sqlite'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(5);
      expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: sampleEvents('c1').length });
      const row = db.prepare('SELECT state FROM customers WHERE customer_id = ?').get('c1') as { state: Buffer };
      expect(Buffer.isBuffer(row.state)).toBe(true);
      expect(decodeCustomerState(row.state).eventsTotal).toBe(sampleEvents('c1').length);
    } finally {
      db.close();
    }
  });

  it('upgrades a file written before event ids and binary states, reading its JSON states as they are', async () => {
    const dataDir = join(root, 'schema-1');
    // A file as the store wrote it before: no event_id column, states as JSON text.
    const legacy = legacyFile(dataDir, `
      CREATE TABLE events (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, type TEXT NOT NULL, event TEXT NOT NULL);
      CREATE INDEX events_by_customer ON events (customer_id, ts);
      CREATE TABLE customers (customer_id TEXT PRIMARY KEY, state TEXT NOT NULL, updated_ts INTEGER NOT NULL);
      CREATE TABLE decisions (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, day TEXT NOT NULL, action TEXT, grp TEXT NOT NULL, cost REAL NOT NULL, decision TEXT NOT NULL);
      CREATE TABLE outcomes (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, retained INTEGER NOT NULL, action TEXT NOT NULL, grp TEXT, value REAL);
      CREATE TABLE budget (day TEXT PRIMARY KEY, spent REAL NOT NULL);`);
    const events = sampleEvents('old');
    const state = createCustomerState();
    for (const event of events) applyEvent(state, event);
    legacy.prepare('INSERT INTO customers VALUES (?, ?, ?)').run('old', JSON.stringify(state), events.at(-1)!.ts);
    legacy.close();

    const store = openSqliteStore({ dataDir });
    try {
      const asOf = events.at(-1)!.ts + 10 * DAY_MS;
      expect(await store.getCustomerState('old')).toEqual(state);
      expect((await store.readCustomerView!('old', asOf, 0)).features).toEqual(featuresAt(state, asOf));
      const next: ChurnEvent = { customerId: 'old', ts: events.at(-1)!.ts + DAY_MS, type: 'order', value: 5, id: 'new-1' };
      await store.appendEvents([next, next]);
      expect((await store.getCustomerState('old'))!.ordersTotal).toBe(state.ordersTotal + 1);
    } finally {
      await store.close();
    }
    const db = new Database(join(dataDir, 'churnkit.sqlite'), { readonly: true });
    try {
      expect(Buffer.isBuffer((db.prepare("SELECT state FROM customers WHERE customer_id = 'old'").get() as { state: unknown }).state)).toBe(true);
      expect(db.prepare('SELECT event_id FROM events WHERE event_id IS NOT NULL').all()).toEqual([{ event_id: 'new-1' }]);
    } finally {
      db.close();
    }
  });

  it('upgrades a file of schema 3: its events are erased through their own index, later ones through their chain, and old event ids still count', async () => {
    const dataDir = join(root, 'schema-3');
    // The tables and the event index as schema 3 wrote them.
    const legacy = legacyFile(dataDir, `
      CREATE TABLE events (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, type TEXT NOT NULL, event TEXT NOT NULL, event_id TEXT);
      CREATE UNIQUE INDEX events_by_customer_id ON events (customer_id, event_id);
      CREATE TABLE customers (customer_id TEXT PRIMARY KEY, state BLOB NOT NULL, updated_ts INTEGER NOT NULL);
      CREATE TABLE decisions (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, day TEXT NOT NULL, action TEXT, grp TEXT NOT NULL, cost REAL NOT NULL, decision TEXT NOT NULL);
      CREATE TABLE outcomes (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, ts INTEGER NOT NULL, retained INTEGER NOT NULL, action TEXT NOT NULL, grp TEXT, value REAL);
      CREATE TABLE budget (day TEXT PRIMARY KEY, spent REAL NOT NULL);
      PRAGMA user_version = 3;`);
    const logOld = legacy.prepare('INSERT INTO events (customer_id, ts, type, event, event_id) VALUES (?, ?, ?, ?, ?)');
    const states = new Map<string, ReturnType<typeof createCustomerState>>();
    for (const customerId of ['old', 'neighbour']) {
      const state = createCustomerState();
      sampleEvents(customerId).forEach((event, i) => {
        const logged = { ...event, id: `${customerId}-${i}` };
        logOld.run(customerId, logged.ts, logged.type, JSON.stringify(logged), logged.id);
        applyEvent(state, logged);
      });
      states.set(customerId, state);
      legacy.prepare('INSERT INTO customers VALUES (?, ?, ?)').run(customerId, JSON.stringify(state), 0);
    }
    legacy.close();

    const store = openSqliteStore({ dataDir });
    const before = sampleEvents('old').length;
    try {
      const last = sampleEvents('old').at(-1)!;
      // One event new, one whose id the customer logged before the upgrade.
      await store.appendEvents([{ ...last, id: 'old-new', ts: last.ts + DAY_MS }, { ...last, id: 'old-0' }]);
      expect((await store.getCustomerState('old'))!.eventsTotal).toBe(states.get('old')!.eventsTotal + 1);
      expect(await store.eraseCustomer!('old')).toMatchObject({ events: before + 1, state: true });
      const logged: ChurnEvent[] = [];
      for await (const page of store.eventLog!()) logged.push(...page);
      expect(logged.map((event) => event.id)).toEqual(sampleEvents('neighbour').map((_, i) => `neighbour-${i}`));
      expect(await store.getCustomerState('neighbour')).toEqual(states.get('neighbour'));
    } finally {
      await store.close();
    }
    const db = new Database(join(dataDir, 'churnkit.sqlite'), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(5);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").pluck().all()).toEqual([
        'events_before_chains',
        'events_by_event_id',
      ]);
    } finally {
      db.close();
    }
  });

  it("erases every event of a customer through their chain, however their appends were spread over groups, batches and stores on one file", async () => {
    const dataDir = join(root, 'chains');
    const first = openSqliteStore({ dataDir });
    const second = openSqliteStore({ dataDir });
    const visit = (customerId: string, n: number): ChurnEvent => ({ customerId, id: `${customerId}-${n}`, ts: 1_700_000_000_000 + n, type: 'page_view', channel: 'web' });
    try {
      let n = 0;
      for (let round = 0; round < 4; round++) {
        // Each store in turn (each writer must pick up the chain the other extended), and
        // within a round concurrent batches sharing one group, a batch repeated, and an
        // event without an id.
        const store = round % 2 === 0 ? first : second;
        const batch = [visit('x', n++), visit('y', n++), visit('x', n++)];
        await Promise.all([store.appendEvents(batch), store.appendEvents([visit('x', n++), { ...visit('x', n++), id: undefined }]), store.appendEvents(batch)]);
      }
      const countOf = async (customerId: string) => {
        let count = 0;
        for await (const page of first.eventLog!()) count += page.filter((event) => event.customerId === customerId).length;
        return count;
      };
      expect(await countOf('x')).toBe(16);
      expect((await second.eraseCustomer!('x')).events).toBe(16);
      expect(await countOf('x')).toBe(0);
      expect(await countOf('y')).toBe(4);
      expect((await first.getCustomerState('y'))!.eventsTotal).toBe(4);
    } finally {
      await first.close();
      await second.close();
    }
    const db = new Database(join(dataDir, 'churnkit.sqlite'), { readonly: true });
    try {
      // Every event of a new file is in a chain: none is in the index by customer.
      expect(db.prepare('SELECT COUNT(*) FROM events WHERE prev_id IS NULL').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('rolls back the whole batch when one event cannot be stored', async () => {
    const store = openSqliteStore({ dataDir: join(root, 'rollback') });
    const broken = { customerId: 'c2', ts: 1, type: null } as unknown as ChurnEvent;
    await expect(store.appendEvents([...sampleEvents('c1'), broken])).rejects.toThrow(ChurnkitError);
    expect(await store.getCustomerState('c1')).toBeNull();
    expect(await store.countCustomers()).toBe(0);
    await store.close();
  });

  it('commits concurrent appends together, yet fails only the caller whose batch is bad', async () => {
    const store = openSqliteStore({ dataDir: join(root, 'group-commit') });
    const broken = { customerId: 'bad', ts: 1, type: null } as unknown as ChurnEvent;
    const results = await Promise.allSettled([
      store.appendEvents(sampleEvents('good1')),
      store.appendEvents([sampleEvents('bad')[0]!, broken]),
      store.appendEvents(sampleEvents('good2')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.getCustomerState('good1')).not.toBeNull();
    expect(await store.getCustomerState('good2')).not.toBeNull();
    expect(await store.getCustomerState('bad')).toBeNull();
    // The writer's memory of folded states was rolled back with the bad batch.
    await store.appendEvents([{ customerId: 'bad', ts: 2, type: 'page_view' }]);
    expect((await store.getCustomerState('bad'))!.eventsTotal).toBe(1);
    await store.close();
  });

  it('forgets, with a batch rolled back, the states it had folded for the customers before the bad event', async () => {
    const store = openSqliteStore({ dataDir: join(root, 'rolled-back-fold') });
    const view = (customerId: string, ts: number): ChurnEvent => ({ customerId, ts, type: 'page_view' });
    await store.appendEvents([view('x', 1)]);
    // One group: x is folded (in the writer's memory) before y's event fails, and the batch rolls back.
    const broken = { customerId: 'y', ts: 5, type: null } as unknown as ChurnEvent;
    const results = await Promise.allSettled([store.appendEvents([view('x', 2), broken]), store.appendEvents([view('z', 1)])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    // x's next event folds onto what is stored (one event), not onto the rolled-back fold (two).
    await store.appendEvents([view('x', 3)]);
    expect((await store.getCustomerState('x'))!.eventsTotal).toBe(2);
    await store.close();
  });

  it('refuses, on its own, a batch that is not JSON (a BigInt, a cycle) with STORE_WRITE, and stores its neighbours in the same turn', async () => {
    const store = openSqliteStore({ dataDir: join(root, 'not-json') });
    const bigint = { customerId: 'big', ts: 1, type: 'order', value: 10n } as unknown as ChurnEvent;
    const cyclic: Record<string, unknown> = { customerId: 'loop', ts: 1, type: 'page_view' };
    cyclic.self = cyclic;
    const results = await Promise.allSettled([
      store.appendEvents(sampleEvents('before')),
      store.appendEvents([bigint]),
      store.appendEvents([cyclic as unknown as ChurnEvent]),
      store.appendEvents(sampleEvents('after')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    for (const refused of [results[1], results[2]]) {
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ChurnkitError);
      expect((refused as PromiseRejectedResult).reason.code).toBe('STORE_WRITE');
    }
    expect(await store.getCustomerState('big')).toBeNull();
    expect(await store.getCustomerState('loop')).toBeNull();
    expect((await store.getCustomerState('after'))!.eventsTotal).toBe(sampleEvents('after').length);
    await store.close();
  });

  it('folds several appends of one customer in one group commit into the state a replay of the log gives, even when a bad append in the group is rolled back', async () => {
    const store = openSqliteStore({ dataDir: join(root, 'group-fold') });
    const at = (ts: number, id: string): ChurnEvent => ({ customerId: 'shared', id, ts, type: 'page_view', category: 'books', channel: 'web' });
    const broken = { customerId: 'shared', ts: 5, type: null } as unknown as ChurnEvent;
    const results = await Promise.allSettled([
      store.appendEvents([at(1, 'a'), at(2, 'b')]),
      store.appendEvents([at(3, 'c'), broken]),
      store.appendEvents([at(4, 'd'), { ...at(6, 'e'), type: 'order', value: 12 }]),
      store.appendEvents([at(7, 'f'), at(2, 'b')]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const logged: ChurnEvent[] = [];
    for await (const page of store.eventLog!()) logged.push(...page);
    expect(logged.map((event) => event.id)).toEqual(['a', 'b', 'd', 'e', 'f']);
    const replayed = logged.reduce(applyEvent, createCustomerState());
    expect(await store.getCustomerState('shared')).toEqual(replayed);
    await store.close();
    const reopened = openSqliteStore({ dataDir: join(root, 'group-fold') });
    expect(await reopened.getCustomerState('shared')).toEqual(replayed);
    await reopened.close();
  });

  it('applies an erasure made between two appends of one customer in the order they were made', async () => {
    const store = openSqliteStore({ dataDir: join(root, 'erase-order') });
    const visit = (id: string, ts: number): ChurnEvent => ({ customerId: 'leaving', id, ts, type: 'page_view', category: 'books', channel: 'web' });
    await store.appendEvents([visit('before', 1)]);
    const [, erasure] = await Promise.all([store.appendEvents([visit('first', 2)]), store.eraseCustomer!('leaving'), store.appendEvents([visit('after', 3)])]);
    expect(erasure.events).toBe(2);
    const logged: ChurnEvent[] = [];
    for await (const page of store.eventLog!()) logged.push(...page);
    expect(logged.map((event) => event.id)).toEqual(['after']);
    expect((await store.getCustomerState('leaving'))!.eventsTotal).toBe(1);
    await store.close();
  });

  it('commits appends still waiting for their group when the store closes', async () => {
    const dataDir = join(root, 'close-pending');
    const store = openSqliteStore({ dataDir });
    const appended = store.appendEvents(sampleEvents('late'));
    await store.close();
    await appended;
    await expect(store.appendEvents(sampleEvents('after'))).rejects.toThrow(/closed/);
    const reopened = openSqliteStore({ dataDir });
    expect(await reopened.getCustomerState('late')).not.toBeNull();
    await reopened.close();
  });

  it('keeps reading, and keeps the event loop free, while another process holds the write lock; the writes wait for it', async () => {
    const dataDir = join(root, 'locked');
    const store = openSqliteStore({ dataDir });
    let lock: { released: Promise<void> } | undefined;
    try {
      await store.appendEvents(sampleEvents('c1'));
      lock = await lockFromAnotherProcess(join(dataDir, 'churnkit.sqlite'), 1_500);
      let appended = false;
      const append = store.appendEvents(sampleEvents('c2')).then(() => (appended = true));
      const decided = store.recordDecision({ ...anyDecision, customerId: 'c2' }, Infinity);
      // While the lock is held: reads answer, and timers run (the loop is not blocked).
      expect(await store.getCustomerState('c1')).not.toBeNull();
      expect(await store.readCustomerView!('c1', Date.now(), 0)).toMatchObject({ decisions: [] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(appended).toBe(false);
      await lock.released;
      await append;
      expect(await decided).toBe(true);
      expect(await store.getCustomerState('c2')).not.toBeNull();
    } finally {
      await lock?.released;
      await store.close();
    }
  });

  it('records a costly decision under an unlimited budget (the default) when the writer thread takes it', async () => {
    const dataDir = join(root, 'locked-unlimited');
    const store = openSqliteStore({ dataDir });
    let lock: { released: Promise<void> } | undefined;
    try {
      // Held by another process, the lock sends the decision to the writer thread, as a JSON message.
      lock = await lockFromAnotherProcess(join(dataDir, 'churnkit.sqlite'), 300);
      const decided = store.recordDecision({ ...anyDecision, action: 'coupon', cost: 5 }, Infinity);
      await lock.released;
      expect(await decided).toBe(true);
      expect(await store.spent(anyDecision.day)).toBe(5);
    } finally {
      await lock?.released;
      await store.close();
    }
  });

  it("checks the cooldown in the writer thread's transaction: two instances' decisions, held up by the lock together, log one", async () => {
    const dataDir = join(root, 'locked-cooldown');
    const store = openSqliteStore({ dataDir });
    const other = openSqliteStore({ dataDir });
    let lock: { released: Promise<void> } | undefined;
    try {
      lock = await lockFromAnotherProcess(join(dataDir, 'churnkit.sqlite'), 300);
      // No cap (Infinity), which crosses to the writer as JSON, like the unlimited budget.
      const limits = { cooldownAfter: 1 - DAY_MS, capSince: 1 - 30 * DAY_MS, maxPerCustomer: Infinity };
      const coupon = { ...anyDecision, action: 'coupon', cost: 5 };
      const answers = Promise.all([store.recordDecision(coupon, Infinity, limits), other.recordDecision(coupon, Infinity, limits)]);
      await lock.released;
      expect(await answers).toEqual(expect.arrayContaining([true, 'cooldown']));
      expect(await store.decisionsSince('c1', 0)).toHaveLength(1);
      expect(await store.spent(anyDecision.day)).toBe(5);
    } finally {
      await lock?.released;
      await other.close();
      await store.close();
    }
  });

  it('keeps an endless cooldown or cap window (a time of -Infinity, which JSON carries as null) when the writer thread takes the decision', async () => {
    const dataDir = join(root, 'locked-endless');
    const store = openSqliteStore({ dataDir });
    let lock: { released: Promise<void> } | undefined;
    try {
      const coupon = { ...anyDecision, action: 'coupon', cost: 5 };
      expect(await store.recordDecision({ ...coupon, ts: 1 - 400 * DAY_MS }, Infinity)).toBe(true);
      lock = await lockFromAnotherProcess(join(dataDir, 'churnkit.sqlite'), 300);
      // A coupon 400 days ago: a cooldown that never ends, or a cap of one over all time, still counts it.
      const endlessCooldown = store.recordDecision(coupon, Infinity, { cooldownAfter: -Infinity, capSince: 1 - 30 * DAY_MS, maxPerCustomer: Infinity });
      const endlessCap = store.recordDecision(coupon, Infinity, { cooldownAfter: 1 - DAY_MS, capSince: -Infinity, maxPerCustomer: 1 });
      await lock.released;
      expect([await endlessCooldown, await endlessCap]).toEqual(['cooldown', 'cap']);
      expect(await store.decisionsSince('c1', -Infinity)).toHaveLength(1);
      expect(await store.spent(anyDecision.day)).toBe(5);
    } finally {
      await lock?.released;
      await store.close();
    }
  });

  it('answers the writes a held lock kept waiting a few per turn of the event loop, so the rest of the storefront runs between them', async () => {
    const dataDir = join(root, 'locked-burst');
    const store = openSqliteStore({ dataDir });
    let lock: { released: Promise<void> } | undefined;
    try {
      await store.appendEvents(sampleEvents('c1'));
      lock = await lockFromAnotherProcess(join(dataDir, 'churnkit.sqlite'), 500);
      // Answers counted in runs: a turn of the event loop once the lock is gone ends a run.
      let answered = 0;
      let run = 0;
      let longestRun = 0;
      const appends = Array.from({ length: 100 }, (_, index) =>
        store.appendEvents(sampleEvents(`burst-${index}`)).then(() => {
          answered++;
          longestRun = Math.max(longestRun, ++run);
        }),
      );
      let waiting = true;
      const everyTurn = () => {
        run = 0;
        if (waiting) setImmediate(everyTurn);
      };
      // Counted from now on, not from when this process hears of the release: on a loaded
      // machine the writer can take the lock and answer before that message arrives.
      everyTurn();
      await lock.released;
      await Promise.all(appends);
      waiting = false;
      expect(answered).toBe(100);
      expect(longestRun).toBeLessThanOrEqual(16);
    } finally {
      await lock?.released;
      await store.close();
    }
  });

  it('fails a write, storing nothing, when the lock stays held past writeLockTimeoutMs', async () => {
    const dataDir = join(root, 'lock-timeout');
    const store = openSqliteStore({ dataDir, writeLockTimeoutMs: 100 });
    let lock: { released: Promise<void> } | undefined;
    try {
      lock = await lockFromAnotherProcess(join(dataDir, 'churnkit.sqlite'), 1_000);
      await expect(store.appendEvents(sampleEvents('c1'))).rejects.toThrow(/SQLITE_BUSY/);
      await lock.released;
      expect(await store.getCustomerState('c1')).toBeNull();
      await store.appendEvents(sampleEvents('c1'));
      expect(await store.getCustomerState('c1')).not.toBeNull();
    } finally {
      await lock?.released;
      await store.close();
    }
  });

  it('fails to open, naming the file, when its writer cannot open it', () => {
    const dataDir = join(root, 'not-a-database');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'churnkit.sqlite'), 'this is not a database file, just text that is long enough to have a header');
    expect(() => openSqliteStore({ dataDir })).toThrow(/not a database/);
  });

  it('refuses bad options at construction', () => {
    expect(() => openSqliteStore({ dataDir: root, fileName: '../elsewhere.sqlite' })).toThrow(OptionsError);
    expect(() => openSqliteStore({ dataDir: '' })).toThrow(/dataDir/);
    expect(() => openSqliteStore({ dataDir: root, durability: 'sometimes' as 'full' })).toThrow(/durability/);
    expect(() => openSqliteStore({ dataDir: root, writeLockTimeoutMs: -1 })).toThrow(/writeLockTimeoutMs/);
    expect(() => openSqliteStore({ dataDir: root, customerIdKey: 'short' })).toThrow(/at least 16 bytes/);
  });
});

describe('SQLite writer (SqliteWrites)', () => {
  it('forgets the states it folded in a careful commit that failed as a whole, so the next events fold onto what is stored', () => {
    const db = new Database(':memory:');
    try {
      prepareSchema(db);
      const writes = new SqliteWrites(db, (customerId) => customerId, 'test-writer');
      const view = (customerId: string, ts: number): ChurnEvent => ({ customerId, ts, type: 'page_view' });
      expect(writes.commit([{ op: 'append', events: [view('x', 1)] }])).toEqual([{ ok: true, value: null }]);
      // 'bad' fails the fast commit (so the group is committed again carefully, x folded in its own
      // savepoint), and then rolls back the careful transaction as a whole: its commit fails.
      db.exec(`CREATE TRIGGER refuse_bad BEFORE INSERT ON events WHEN NEW.customer_id = 'bad' BEGIN SELECT RAISE(ROLLBACK, 'refused'); END`);
      const results = writes.commit([
        { op: 'append', events: [view('x', 2)] },
        { op: 'append', events: [view('bad', 2)] },
      ]);
      expect(results.map((result) => result.ok)).toEqual([false, false]);
      db.exec('DROP TRIGGER refuse_bad');
      expect(writes.commit([{ op: 'append', events: [view('x', 3)] }])).toEqual([{ ok: true, value: null }]);
      // x's stored events are 1 and 3: event 2 was rolled back, and must not live on in the writer's memory.
      const stored = db.prepare<[string], Uint8Array>('SELECT state FROM customers WHERE customer_id = ?').pluck().get('x')!;
      expect(decodeCustomerState(stored).eventsTotal).toBe(2);
    } finally {
      db.close();
    }
  });
});
