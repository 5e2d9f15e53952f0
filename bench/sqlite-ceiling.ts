/**
 * The ceiling of durable ingestion on this machine: SQLite's own insert rate into the
 * store's events table (same schema and indexes), with the durability the store promises
 * (WAL, synchronous=FULL: one fsync per commit), from a plain script with nothing else in
 * it: no HTTP, no validation, no customer state. Run by bench:http in a process of its own:
 *
 *     node dist/bench/sqlite-ceiling.js <dir> <seconds per size>
 *
 * prints one JSON line: events/s and commits/s for each number of events per commit.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { prepareSchema } from '../plugin/store/sqlite-schema.js';

/** Events per commit measured: one per request, a typical group commit, a bulk load. */
export const CEILING_COMMIT_SIZES = [1, 10, 50, 500];

export interface CeilingFigure {
  eventsPerCommit: number;
  eventsPerSecond: number;
  commitsPerSecond: number;
}

export function measureSqliteCeiling(dir: string, secondsPerSize: number): CeilingFigure[] {
  const db = new Database(join(dir, 'ceiling.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  prepareSchema(db);
  // prev_id as the store writes it (here 0, the start of a chain): a NULL would put every
  // event in the index kept for events logged before schema 4.
  const insert = db.prepare<[string, number, string, string, string]>('INSERT INTO events (customer_id, ts, type, event, event_id, prev_id) VALUES (?, ?, ?, ?, ?, 0)');
  let serial = 0;
  const commit = db.transaction((events: number) => {
    for (let i = 0; i < events; i++) {
      const customerId = `c${serial % 2000}`;
      const event = { customerId, id: `e${serial}`, ts: Date.now(), type: 'page_view', category: 'electronics', channel: 'web' };
      insert.run(customerId, event.ts, event.type, JSON.stringify(event), event.id);
      serial++;
    }
  });
  const figures = CEILING_COMMIT_SIZES.map((eventsPerCommit) => {
    const start = process.hrtime.bigint();
    const end = start + BigInt(Math.round(secondsPerSize * 1e9));
    let commits = 0;
    while (process.hrtime.bigint() < end) {
      commit(eventsPerCommit);
      commits++;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { eventsPerCommit, eventsPerSecond: (commits * eventsPerCommit) / seconds, commitsPerSecond: commits / seconds };
  });
  db.close();
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [dir, seconds] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(measureSqliteCeiling(dir!, Number(seconds)))}\n`);
}
