/**
 * The commands that analyse a plugin store (`challenger`, `retrain`, `uplift`) only read it:
 * a `--store` file that is not churnkit's SQLite store is refused in one line naming it, and
 * left byte for byte as it was (opening it as a store used to write churnkit's tables into it);
 * so is a store of an earlier schema, which they used to upgrade under a running storefront
 * (whose appends the upgrade stops).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStoreFileAtSchema } from '../plugin/store/store-file-at-schema.js';
import { SHIPPED_MODEL } from '../retrain/drifted-store.js';
import { makeTempDir, runCli } from './run-cli.js';

const COMMANDS: [name: string, args: (store: string) => string[]][] = [
  ['challenger', (store) => ['challenger', '--store', store]],
  ['retrain', (store) => ['retrain', '--store', store, '--champion', SHIPPED_MODEL, '--out', 'out']],
  ['uplift', (store) => ['uplift', '--store', store, '--out', 'models']],
];

describe('a --store file that is not a churnkit store', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
    writeFileSync(join(dir, 'notes.sqlite'), 'these are notes, not a database\n'.repeat(10));
    writeFileSync(join(dir, 'empty.sqlite'), '');
    const other = new Database(join(dir, 'other.sqlite'));
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    other.close();
    writeStoreFileAtSchema(join(dir, 'schema-3.sqlite'), 3);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, args] of COMMANDS) {
    it(`${name} refuses a file that is not SQLite, naming it`, () => {
      const run = runCli(args('notes.sqlite'), dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe("churnkit: notes.sqlite: not a SQLite file; expected the plugin's store (its dataDir's churnkit.sqlite)\n");
    });

    it(`${name} refuses an empty file and a SQLite file without churnkit's tables, and writes nothing into them`, () => {
      for (const file of ['empty.sqlite', 'other.sqlite']) {
        const before = readFileSync(join(dir, file));
        const run = runCli(args(`sqlite:${file}`), dir);
        expect(run.status).toBe(1);
        expect(run.stderr).toMatch(new RegExp(`^churnkit: ${file}: a SQLite file without churnkit's tables \\(no events, customers, decisions, outcomes\\)`));
        expect(run.stderr.split('\n')).toHaveLength(2);
        expect(readFileSync(join(dir, file)).equals(before)).toBe(true);
      }
    });

    it(`${name} reads no store of an earlier schema, and leaves it at that schema`, () => {
      const before = readFileSync(join(dir, 'schema-3.sqlite'));
      const run = runCli(args('schema-3.sqlite'), dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^churnkit: the SQLite store \S*schema-3\.sqlite has schema 3, written by an earlier churnkit; opened read-only it is not upgraded/);
      expect(run.stderr.split('\n')).toHaveLength(2);
      const db = new Database(join(dir, 'schema-3.sqlite'), { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(3);
      db.close();
      expect(readFileSync(join(dir, 'schema-3.sqlite')).equals(before)).toBe(true);
    });
  }
});
