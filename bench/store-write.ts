/**
 * `npm run bench:store-write` — the SQLite store's writer in isolation: CPU µs per event
 * appended, through the writer thread's own code (`SqliteWrites.commit` on a connection set up
 * as the thread sets up its own), in group commits of 500 events (10 requests of 50, as
 * bench:http's batch row sends them) over the customers of a store seeded like the demo's
 * (2,000 generated customers, 180 days).
 *
 * What it compares, on copies of one seeded file, taking turns block by block in one process:
 * - schema 5 as the store writes it (events indexed as since schema 4, customers' states in
 *   format 2), with events carrying time-ordered ids (bench:http's: a base-36 millisecond
 *   timestamp, then random characters), UUIDv7 ids, no id, and random UUIDv4 ids;
 * - the same file with an index ordered by customer added (what schemas 2 and 3 kept on every
 *   event for idempotency and erasure), time-ordered ids.
 * A plain-JS calibration block runs between them: it tells which of the machine's two speed
 * levels each round ran at.
 *
 * @example
 *   npm run build && npm run bench:store-write
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { ChurnEvent } from '../src/events/types.js';
import { generateEvents } from '../src/generate/index.js';
import { configureWriterConnection, SqliteWrites, type WriteRequest } from '../plugin/store/sqlite-writes.js';
import { openSqliteStore } from '../plugin/store/sqlite-store.js';
import { randomEvent } from './http-load.js';
import { writeReport } from './report.js';
import { machineInfo, writeResults, type BenchResults, type Cell } from './results-file.js';
import { bySpeedLevel, cpuOfCalibration } from './speed-levels.js';
import { median } from './stats.js';

const DAY_MS = 86_400_000;
const START_DATE = '2025-01-01';
/** After the seeded history: the appended events are its next day. */
const APPENDED_FROM = Date.UTC(2025, 0, 1) + 181 * DAY_MS;
const REQUESTS_PER_GROUP = 10;
const EVENTS_PER_REQUEST = 50;

interface Variant {
  label: string;
  /** Extra SQL run on the variant's copy of the seeded file. */
  setup?: string;
  /** The event's id, given its time-ordered one. */
  id: (timeOrdered: string) => string | undefined;
}

const VARIANTS: Variant[] = [
  { label: 'schema 5, time-ordered ids', id: (timeOrdered) => timeOrdered },
  // What docs/plugin.md recommends a client send: the uuid package's v7.
  { label: 'schema 5, UUIDv7 ids (the uuid package)', id: () => uuidv7() },
  { label: 'schema 5, no ids', id: () => undefined },
  { label: 'schema 5, random UUIDv4 ids', id: () => randomUUID() },
  {
    label: 'schema 5 plus an index ordered by customer (as schemas 2 and 3 kept), time-ordered ids',
    setup: 'CREATE INDEX bench_events_by_customer ON events (customer_id, event_id)',
    id: (timeOrdered) => timeOrdered,
  },
];

/** The groups of one block: requests of 50 events of random seeded customers, built before the clock starts. */
function groupsOf(variant: Variant, customerIds: readonly string[], groups: number, serial: { next: number }): WriteRequest[][] {
  return Array.from({ length: groups }, () =>
    Array.from({ length: REQUESTS_PER_GROUP }, (): WriteRequest => ({
      op: 'append',
      events: Array.from({ length: EVENTS_PER_REQUEST }, (): ChurnEvent => {
        const event = randomEvent(customerIds) as unknown as ChurnEvent & { id: string };
        return { ...event, id: variant.id(event.id), ts: APPENDED_FROM + serial.next++ };
      }),
    })),
  );
}

/** CPU µs per event of one block: this process's CPU time (user + system) over its commits, divided by the events. */
function block(writes: SqliteWrites, groups: readonly WriteRequest[][]): number {
  const before = process.cpuUsage();
  for (const group of groups) {
    const failed = writes.commit(group).find((result) => !result.ok);
    if (failed) throw new Error(`a bench append failed: ${JSON.stringify(failed)}`);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (groups.length * REQUESTS_PER_GROUP * EVENTS_PER_REQUEST);
}

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, customers: { type: 'string', default: '2000' } } });
  const quick = values.quick!;
  const customers = Number(values.customers);
  if (!Number.isInteger(customers) || customers < 10) throw new Error(`--customers must be an integer >= 10, got ${values.customers}`);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'churnkit-bench-store-write-'));
  try {
    const seeded = openSqliteStore({ dataDir: dir, fileName: 'seeded.sqlite', durability: 'normal' });
    const events = [...generateEvents({ customers, days: 180, seed: 7, startDate: START_DATE })];
    for (let i = 0; i < events.length; i += 5_000) await seeded.appendEvents(events.slice(i, i + 5_000));
    const customerIds = [...new Set(events.map((event) => event.customerId))];
    await seeded.close();
    log(`seeded ${events.length} events of ${customerIds.length} customers`);

    const writers = VARIANTS.map((variant, index) => {
      const file = join(dir, `variant-${index}.sqlite`);
      copyFileSync(join(dir, 'seeded.sqlite'), file);
      const db = configureWriterConnection(new Database(file), 5_000);
      if (variant.setup) db.exec(variant.setup);
      return { variant, db, writes: new SqliteWrites(db, (customerId) => customerId, `bench-${index}`) };
    });
    const serial = { next: 0 };
    const groupsPerBlock = quick ? 8 : 40;
    for (const { variant, writes } of writers) block(writes, groupsOf(variant, customerIds, 4, serial));

    const rounds = quick ? 2 : 8;
    const perRound: { calibrationUs: number; figures: Map<string, number> }[] = [];
    for (let round = 0; round < rounds; round++) {
      const figures = new Map<string, number>();
      const calibrations: number[] = [];
      for (let i = 0; i < writers.length; i++) {
        const { variant, writes } = writers[(round + i) % writers.length]!;
        const groups = groupsOf(variant, customerIds, groupsPerBlock, serial);
        calibrations.push(cpuOfCalibration());
        figures.set(variant.label, block(writes, groups));
      }
      perRound.push({ calibrationUs: median(calibrations), figures });
      log(`round ${round + 1}: ${[...figures].map(([label, us]) => `${label} ${us.toFixed(1)}`).join('; ')}`);
    }
    for (const { db } of writers) db.close();

    const { fast, slow, note: levelNote } = bySpeedLevel(perRound);
    const figure = (roundsAt: typeof perRound, label: string): Cell => {
      if (roundsAt.length === 0) return '–';
      const samples = roundsAt.map((round) => round.figures.get(label)!);
      return `${median(samples).toFixed(1)} [${Math.min(...samples).toFixed(1)}–${Math.max(...samples).toFixed(1)}]`;
    };
    const reference = VARIANTS[0]!.label;
    const ratio = (label: string) => median(perRound.map((round) => round.figures.get(label)! / round.figures.get(reference)!));
    const rows = VARIANTS.map(({ label }): Cell[] => [label, figure(fast, label), figure(slow, label), figure(perRound, label), label === reference ? 'reference' : `${ratio(label).toFixed(2)}x`]);
    for (const row of rows) log(row.join(' | '));
    const results: BenchResults = {
      name: 'store-write',
      title: "Store: the SQLite writer's CPU per event appended",
      generatedAt: new Date().toISOString(),
      machine: machineInfo(),
      tables: [
        {
          title: `CPU µs per event, group commits of ${REQUESTS_PER_GROUP * EVENTS_PER_REQUEST} events (${REQUESTS_PER_GROUP} requests of ${EVENTS_PER_REQUEST}), ${groupsPerBlock} groups per block (median over rounds [min–max])`,
          columns: ['events and indexes', 'fast level', 'slow level', 'all rounds', 'CPU per event / schema 5 with time-ordered ids (same round)'],
          rows,
        },
      ],
      notes: [
        `Store seeded with ${events.length} generated events of ${customerIds.length} customers over 180 days (the demo's generator), then copied once per row. Each event of a block goes to a random seeded customer (page views, searches, carts and orders, as bench:http sends them), so a group of 500 touches about ${Math.round(customerIds.length * (1 - Math.exp(-500 / customerIds.length)))} customers.`,
        "The writes run through SqliteWrites.commit, the writer thread's own code, on a connection configured as the thread configures its own (synchronous=NORMAL, checkpoint every 10,000 pages); the thread's fdatasync, which the acknowledgement waits for, is not part of it. CPU time is this process's (user + system) over each block's commits; the events are built before the clock starts.",
        'The row with an index ordered by customer adds to the schema-5 file the index schemas 2 and 3 wrote for every event: every appended event then writes to a random page of it, as before schema 4.',
        levelNote,
        `Run mode: ${quick ? `quick (${rounds} rounds of ${groupsPerBlock} groups per row: a smoke test)` : `full (${rounds} rounds of ${groupsPerBlock} groups per row)`}. The machine is shared with other work.`,
      ],
      raw: { perRound: perRound.map((round) => ({ calibrationUs: round.calibrationUs, figures: Object.fromEntries(round.figures) })) },
    };
    // A quick run is a smoke test: its figures go to a scratch file, never into RESULTS.md.
    log(`wrote ${writeResults(results, { scratch: quick })}`);
    if (!quick) log(`wrote ${writeReport().markdownFile}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`bench:store-write: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
