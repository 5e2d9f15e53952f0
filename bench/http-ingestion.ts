/**
 * bench:http's ingestion rows: `POST /churn/events` with a durable acknowledgement against a
 * bare Express route that parses the same body and answers 201 (the plain storefront's
 * `POST /events`), in pairs A B, B A, … like the pages; and the ceiling, SQLite's own
 * durable insert rate from a plain script (`sqlite-ceiling.ts`), in the same run.
 */
import type { ResultsTable, TargetResult } from './results-file.js';
import { postLoad, randomEvent, requestsPerSecond, round1, round2, type AutocannonResult } from './http-load.js';
import { median } from './stats.js';
import type { CeilingFigure } from './sqlite-ceiling.js';

export const EVENTS_PER_BATCH = 50;
/** Bars of issue 15. */
const SINGLE_EVENT_RATIO_BAR = 0.6;
const BATCH_EVENTS_PER_SECOND_BAR = 50_000;

export interface IngestionPlan {
  /** Port of the plain storefront (its bare `POST /events`). */
  barePort: number;
  /** Plugin storefronts by store name, each with the plugin's router at /churn. */
  pluginPorts: { store: string; port: number }[];
  customerIds: readonly string[];
  pairs: number;
  blockSeconds: number;
  settleSeconds: number;
  log: (line: string) => void;
}

/** One ingestion shape, measured on the bare route and on the plugin's. */
interface IngestionComparison {
  label: string;
  store: string;
  eventsPerRequest: number;
  connections: number;
  bare: AutocannonResult[];
  plugin: AutocannonResult[];
}

const eventsPerSecond = (result: AutocannonResult, eventsPerRequest: number) => (result['2xx'] * eventsPerRequest) / result.duration;

async function compare(plan: IngestionPlan, store: string, port: number, eventsPerRequest: number, connections: number): Promise<IngestionComparison> {
  const body = () => ({ events: Array.from({ length: eventsPerRequest }, () => randomEvent(plan.customerIds)) });
  const bare = (seconds: number) => postLoad(plan.barePort, '/events', seconds, body, { connections });
  const plugin = (seconds: number) => postLoad(port, '/churn/events', seconds, body, { connections });
  const comparison: IngestionComparison = {
    label: `${store}, ${eventsPerRequest === 1 ? '1 event' : `${eventsPerRequest} events`} per request, ${connections} connections`,
    store,
    eventsPerRequest,
    connections,
    bare: [],
    plugin: [],
  };
  await bare(plan.settleSeconds);
  await plugin(plan.settleSeconds);
  for (let pair = 1; pair <= plan.pairs; pair++) {
    if (pair % 2 === 1) {
      comparison.bare.push(await bare(plan.blockSeconds));
      comparison.plugin.push(await plugin(plan.blockSeconds));
    } else {
      comparison.plugin.push(await plugin(plan.blockSeconds));
      comparison.bare.push(await bare(plan.blockSeconds));
    }
  }
  plan.log(
    `POST /churn/events (${comparison.label}): events/s per pair ${comparison.plugin.map((run) => round1(eventsPerSecond(run, eventsPerRequest))).join(' ')}; ` +
      `bare route req/s ${comparison.bare.map((run) => round1(requestsPerSecond(run))).join(' ')}`,
  );
  return comparison;
}

export interface IngestionResults {
  tables: ResultsTable[];
  notes: string[];
  targets: TargetResult[];
  raw: Record<string, unknown>;
}

/** Runs every ingestion comparison, then reads the ceiling (measured by the caller in its own process). */
export async function measureIngestion(plan: IngestionPlan, ceiling: () => Promise<CeilingFigure[]>): Promise<IngestionResults> {
  const comparisons: IngestionComparison[] = [];
  for (const { store, port } of plan.pluginPorts) {
    comparisons.push(await compare(plan, store, port, 1, 10));
    comparisons.push(await compare(plan, store, port, 1, 100));
    comparisons.push(await compare(plan, store, port, EVENTS_PER_BATCH, 10));
  }
  const ceilingFigures = await ceiling();
  plan.log(`SQLite ceiling (plain script, WAL + synchronous=FULL): ${ceilingFigures.map((figure) => `${round1(figure.eventsPerSecond)} events/s at ${figure.eventsPerCommit} per commit`).join('; ')}`);

  const summary = comparisons.map((comparison) => {
    const ratios = comparison.plugin.map((run, pair) => requestsPerSecond(run) / requestsPerSecond(comparison.bare[pair]!));
    const events = comparison.plugin.map((run) => eventsPerSecond(run, comparison.eventsPerRequest));
    return {
      comparison,
      ratio: median(ratios),
      ratios,
      events: median(events),
      eventsRange: [Math.min(...events), Math.max(...events)] as const,
      bareRequests: median(comparison.bare.map(requestsPerSecond)),
      bareRange: [Math.min(...comparison.bare.map(requestsPerSecond)), Math.max(...comparison.bare.map(requestsPerSecond))] as const,
      p99: median(comparison.plugin.map((run) => run.latency.p99)),
      failures: comparison.plugin.reduce((sum, run) => sum + run.non2xx + run.errors, 0),
    };
  });
  const targets: TargetResult[] = [];
  for (const row of summary) {
    const { comparison } = row;
    if (comparison.eventsPerRequest === 1) {
      targets.push({
        name: `POST /churn/events, ${comparison.label}: requests/s / bare Express route parsing the same body`,
        measured: round2(row.ratio),
        target: `>= ${SINGLE_EVENT_RATIO_BAR}`,
        met: row.ratio >= SINGLE_EVENT_RATIO_BAR,
      });
    } else {
      const ceilingAtBatch = ceilingFigures.find((figure) => figure.eventsPerCommit === comparison.eventsPerRequest);
      const bareEvents = row.bareRequests * comparison.eventsPerRequest;
      targets.push({
        name:
          `POST /churn/events, ${comparison.label}: events/s (same run: the bare route parses ${round1(bareEvents)} events/s in such batches` +
          `${comparison.store === 'SQLite' && ceilingAtBatch ? `; SQLite alone commits ${round1(ceilingAtBatch.eventsPerSecond)} events/s at ${ceilingAtBatch.eventsPerCommit} per commit` : ''})`,
        measured: Math.round(row.events),
        target: `>= ${BATCH_EVENTS_PER_SECOND_BAR}`,
        met: row.events >= BATCH_EVENTS_PER_SECOND_BAR,
      });
    }
  }
  return {
    tables: [
      {
        title: `POST /churn/events with a durable acknowledgement against a bare Express route parsing the same body (${plan.pairs} pairs of ${plan.blockSeconds} s, A B, B A, …, after ${plan.settleSeconds} s of untimed load each)`,
        columns: ['store and load', 'events/s (median)', 'events/s, slowest–fastest run', 'bare route requests/s (median)', 'bare route, slowest–fastest', 'requests/s ratio (median of pairs)', 'ratio, lowest–highest pair', 'p99 ms', 'non-2xx + errors'],
        rows: summary.map((row) => [
          row.comparison.label,
          round1(row.events),
          `${round1(row.eventsRange[0])}–${round1(row.eventsRange[1])}`,
          round1(row.bareRequests),
          `${round1(row.bareRange[0])}–${round1(row.bareRange[1])}`,
          round2(row.ratio),
          `${round2(Math.min(...row.ratios))}–${round2(Math.max(...row.ratios))}`,
          row.p99,
          row.failures,
        ]),
      },
      {
        title: 'The ceiling, same run: SQLite inserting into the events table from a plain script, WAL + synchronous=FULL (one fsync per commit), in a process of its own',
        columns: ['events per commit', 'events/s', 'commits/s'],
        rows: ceilingFigures.map((figure) => [figure.eventsPerCommit, round1(figure.eventsPerSecond), round1(figure.commitsPerSecond)]),
      },
    ],
    notes: [
      'Ingestion: the bare route is express.json() and a 201 with the count, in the plain storefront\'s process; the plugin\'s route validates the body (zod), hands the events to the store and answers 201 only once they are durable. SQLite: committed by the writer thread and the write-ahead log fdatasync\'ed (the same promise as synchronous=FULL); Redis: the server runs with appendonly yes and appendfsync always, so an acknowledged write is on its disk. Every event carries an id (idempotency key), as a client that retries should send, and the ids grow with time (a base-36 millisecond timestamp, then random characters), as UUIDv7 or ULID do: the SQLite store indexes ids in id order (schema 4), so such ids are written to the index\'s last pages, where random ones (UUIDv4) would cost each event a write to a random page (docs/plugin.md gives the writer\'s CPU per event for both).',
      'Why two connection counts: a durable acknowledgement waits for an fsync (1–3 ms on this disk), so with 10 connections at most 10 events are waiting at any moment and events/s is bounded by 10 / (fsync time + request time) whatever the store does; 100 connections (many shoppers\' browsers or a few collectors) let group commit put up to 100 events behind one fsync. The bare route is measured with the same connections in each pair.',
      'The ceiling is SQLite alone: no HTTP, no JSON parsing or validation, no customer state folded. Its 1-event row is one fsync per event; the plugin reaches more than that because concurrent requests share commits.',
    ],
    targets,
    raw: Object.fromEntries(summary.map((row) => [`ingestion: ${row.comparison.label}`, { ratios: row.ratios, events: row.comparison.plugin.map((run) => eventsPerSecond(run, row.comparison.eventsPerRequest)), bare: row.comparison.bare.map(requestsPerSecond) }])),
  };
}
