/**
 * The SQLite store opened read-only (`readOnly: true`), as the CLI's offline jobs open a
 * storefront's file: it reads what the writing store commits, refuses every write, and leaves
 * the file as it found it, an earlier schema included (an upgrade would stop an older
 * storefront's appends).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ChurnkitError, OptionsError } from '../../../src/errors.js';
import type { ChurnEvent } from '../../../src/events/types.js';
import { encodeCustomerState, FIXED_STATE_FORMAT } from '../../../src/features/state-codec.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import type { ChurnStore } from '../../../plugin/store/types.js';
import { decision, sampleEvents } from './store-behaviour.js';
import { writeStoreFileAtSchema } from './store-file-at-schema.js';

const root = mkdtempSync(join(tmpdir(), 'churnkit-sqlite-read-only-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FILE = 'churnkit.sqlite';

/** Everything an iterable yields, in order. */
async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The database file and its write-ahead log, as bytes on disk. */
function fileBytes(dataDir: string): Buffer {
  const file = join(dataDir, FILE);
  return Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
}

function userVersion(dataDir: string): number {
  const db = new Database(join(dataDir, FILE), { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('the SQLite store opened read-only', () => {
  it("reads what the storefront's store commits, its later commits too, while that store keeps writing", async () => {
    const dataDir = join(root, 'live');
    const writer = openSqliteStore({ dataDir });
    let reader: ChurnStore | undefined;
    try {
      await writer.appendEvents(sampleEvents('c1'));
      expect(await writer.recordDecision(decision({ customerId: 'c1' }), 100)).toBe(true);
      reader = openSqliteStore({ dataDir, readOnly: true });
      expect(await reader.getCustomerState('c1')).toEqual(await writer.getCustomerState('c1'));
      expect((await collect(reader.eventLog!())).flat()).toHaveLength(sampleEvents('c1').length);
      expect((await collect(reader.decisionLog!())).map((logged) => logged.decision.customerId)).toEqual(['c1']);

      await writer.appendEvents(sampleEvents('c2'));
      await new Promise((resolve) => setImmediate(resolve)); // the reader's snapshot ends with its turn
      expect(await reader.countCustomers()).toBe(2);
      expect((await reader.getCustomerState('c2'))?.eventsTotal).toBe(sampleEvents('c2').length);
    } finally {
      await reader?.close();
      await writer.close();
    }
  });

  it('refuses every write with STORE_READ_ONLY, and the file is left byte for byte as it was', async () => {
    const dataDir = join(root, 'refused');
    const writer = openSqliteStore({ dataDir });
    await writer.appendEvents(sampleEvents('c1'));
    await writer.close();
    const before = fileBytes(dataDir);
    const reader = openSqliteStore({ dataDir, readOnly: true });
    try {
      const event: ChurnEvent = { customerId: 'c1', ts: Date.now(), type: 'order', value: 10, id: 'later-1' };
      const writes: [string, () => Promise<unknown>][] = [
        ['append', () => reader.appendEvents([event])],
        ['decision', () => reader.recordDecision(decision({ customerId: 'c1' }), 100)],
        ['outcome', () => reader.recordOutcome({ customerId: 'c1', ts: Date.now(), retained: true })],
        ['erase', () => reader.eraseCustomer!('c1')],
        ['challenger-scores', () => reader.recordChallengerScores!([{ customerId: 'c1', ts: 1, championVersion: 'a', championProbability: 0.1, challengerVersion: 'b', challengerProbability: 0.2 }])],
      ];
      for (const [op, write] of writes) {
        const error = await write().then(() => null, (caught: unknown) => caught);
        expect(error, op).toBeInstanceOf(ChurnkitError);
        expect((error as ChurnkitError).code, op).toBe('STORE_READ_ONLY');
        expect((error as ChurnkitError).message, op).toContain(`"${op}"`);
      }
      expect((await reader.getCustomerState('c1'))?.eventsTotal).toBe(sampleEvents('c1').length);
    } finally {
      await reader.close();
    }
    expect(fileBytes(dataDir).equals(before)).toBe(true);
  });

  it('creates nothing for a missing file: STORE_OPEN, and no folder or file appears', () => {
    const dataDir = join(root, 'missing');
    expect(() => openSqliteStore({ dataDir, readOnly: true })).toThrow(expect.objectContaining({ code: 'STORE_OPEN' }));
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a file of an earlier schema (STORE_SCHEMA, saying how to upgrade it) and leaves it at that schema', () => {
    const dataDir = join(root, 'schema-3');
    mkdirSync(dataDir, { recursive: true });
    writeStoreFileAtSchema(join(dataDir, FILE), 3);
    const before = fileBytes(dataDir);
    let error: unknown;
    try {
      openSqliteStore({ dataDir, readOnly: true });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ChurnkitError);
    expect((error as ChurnkitError).code).toBe('STORE_SCHEMA');
    expect((error as ChurnkitError).message).toMatch(/has schema 3, written by an earlier churnkit; .*open it once read-write with this version/);
    expect(userVersion(dataDir)).toBe(3);
    expect(fileBytes(dataDir).equals(before)).toBe(true);
  });

  it('reads a file of schema 4 as it is (its states in format 1), leaving it at that schema, byte for byte', async () => {
    const dataDir = join(root, 'schema-4');
    const writer = openSqliteStore({ dataDir });
    await writer.appendEvents(sampleEvents('c1'));
    const state = await writer.getCustomerState('c1');
    await writer.close();
    // As schema 4 left it: the state in format 1.
    const file = new Database(join(dataDir, FILE));
    file.prepare('UPDATE customers SET state = ? WHERE customer_id = ?').run(encodeCustomerState(state!, FIXED_STATE_FORMAT), 'c1');
    file.pragma('user_version = 4');
    file.pragma('wal_checkpoint(TRUNCATE)');
    file.close();
    const before = fileBytes(dataDir);
    const reader = openSqliteStore({ dataDir, readOnly: true });
    try {
      expect(await reader.getCustomerState('c1')).toEqual(state);
    } finally {
      await reader.close();
    }
    expect(userVersion(dataDir)).toBe(4);
    expect(fileBytes(dataDir).equals(before)).toBe(true);
  });

  it('refuses a file of a later schema, read-only or not, and leaves it as it was', () => {
    const dataDir = join(root, 'schema-6');
    mkdirSync(dataDir, { recursive: true });
    writeStoreFileAtSchema(join(dataDir, FILE), 6);
    const before = fileBytes(dataDir);
    for (const readOnly of [true, false]) {
      expect(() => openSqliteStore({ dataDir, readOnly }), `readOnly ${readOnly}`).toThrow(
        expect.objectContaining({ code: 'STORE_SCHEMA', message: expect.stringMatching(/has schema 6, written by a later churnkit than this one \(schema 5\)/) }),
      );
    }
    expect(userVersion(dataDir)).toBe(6);
    expect(fileBytes(dataDir).equals(before)).toBe(true);
  });

  it('takes readOnly as a boolean only', () => {
    const options = { dataDir: join(root, 'option'), readOnly: 'yes' as unknown as boolean };
    expect(() => openSqliteStore(options)).toThrow(OptionsError);
    expect(() => openSqliteStore(options)).toThrow(expect.objectContaining({ code: 'STORE_READ_ONLY_OPTION' }));
    expect(existsSync(options.dataDir)).toBe(false);
  });
});
