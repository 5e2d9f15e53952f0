/**
 * The SQLite store's writer thread: its own connection, every write, every fsync and every
 * wait for a lock held by another process, so none of them runs on the storefront's event
 * loop (`sqlite-write-thread.ts` is the other end).
 *
 * How a write becomes durable without holding anything up:
 * - the requests of one message from the main thread (all those of one of its turns) are
 *   committed together as they arrive (group commit), with synchronous=NORMAL: SQLite writes
 *   the frames to the write-ahead log and releases its write lock without an fsync;
 * - then the log is fdatasync'ed on libuv's thread pool, and only then are those appends,
 *   outcomes and erasures acknowledged. Everything written to the log before that fsync
 *   (their commit frames included) is on disk: the same promise as synchronous=FULL, but
 *   neither SQLite's lock nor this thread waits for the disk. Decisions (acknowledged at
 *   commit) go on while the fsync runs, and so do the next commits: all that were made while
 *   one fsync ran are synced by the next one (one fsync at a time).
 *
 * Until 2026-12-03 requests that arrived during an fsync waited for it to end and were then
 * committed as one group, so the pages they changed went to the log once. Committing them as
 * they arrive costs more commits but takes the commit off the acknowledgement's path: single
 * events on 10 connections, storefront pinned to one core, six A/B pairs of 10 s: 2,252-2,718
 * events/s before, 2,326-2,854 after, +4 % in the median pair (from -4 % to +8 %); batches of
 * 50 stayed within their noise (13.3k-15.5k either way, two pairs).
 */
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { customerKeyer } from './customer-keys.js';
import { WriterSignals } from './sqlite-writer-signals.js';
import { configureWriterConnection, SqliteWrites, warmUpWrites, type WriteRequest, type WriteResult } from './sqlite-writes.js';
import { lowerThreadPriority } from '../background-priority.node.js';

/** What the store passes to the thread (`workerData`). */
export interface WriterSetup {
  file: string;
  durability: 'full' | 'normal';
  customerIdKey: string | Uint8Array | undefined;
  /** How long a write waits for a lock held by another connection before failing. */
  busyTimeoutMs: number;
  /** The store's id in the `writers` table. */
  writerId: string;
  /** Shared with the main thread: see `WriterSignals`. */
  signals: SharedArrayBuffer;
}

/**
 * Main thread → writer. The requests travel as JSON text, `[[id, request], …]`: a structured
 * clone of a batch of events cost both threads more (0.73 µs per event to serialize and 0.90
 * to deserialize here, against 0.34 for JSON.stringify and 0.39 for JSON.parse), and the
 * writer folds exactly what it logs, the events as JSON gives them back.
 */
export type WriterMessage = { requests: string } | { close: true };
/** Writer → main thread. */
export type WriterReply = { results: [id: number, result: WriteResult][] } | { closed: true };

type Answer = [id: number, result: WriteResult];

const port = parentPort!;
const setup = workerData as WriterSetup;
const signals = new WriterSignals(setup.signals);
lowerThreadPriority();
let db: Database.Database;
let writes: SqliteWrites;
try {
  db = configureWriterConnection(new Database(setup.file), setup.busyTimeoutMs);
  writes = new SqliteWrites(db, customerKeyer(setup.customerIdKey), setup.writerId);
  warmUpWrites(new Database(':memory:'));
} catch (error) {
  signals.failed(error instanceof Error ? error.message : String(error));
  throw error;
}
signals.ready();

let queue: [number, WriteRequest][] = [];
let drainScheduled = false;
let closing = false;
/** Committed, waiting for the next fsync of the log. */
let awaitingSync: Answer[] = [];
let syncing = false;
let logFd: number | undefined;

port.on('message', (message: WriterMessage) => {
  if ('close' in message) closing = true;
  else for (const [id, request] of JSON.parse(message.requests) as [number, WriteRequest][]) queue.push([id, withUnlimitedRestored(request)]);
  if (!drainScheduled) {
    drainScheduled = true;
    setImmediate(drain);
  }
});

/**
 * JSON has no Infinity: a decision's unlimited daily budget (the default) or cap crosses as
 * null, restored here (and a limit's time as -Infinity, should a window be endless). Read as
 * it came, every decision that costs anything was refused as over budget whenever the lock
 * was taken and the decision came this way. Restored field by field rather than with a
 * replacer and reviver for every value (as the Durable Object transport crosses Infinity):
 * those would run on every field of every event batch, the writer's hot path.
 */
function withUnlimitedRestored(request: WriteRequest): WriteRequest {
  if (request.op !== 'decision') return request;
  const { dailyBudget, limits } = request;
  return {
    ...request,
    dailyBudget: dailyBudget ?? Infinity,
    limits: limits && { cooldownAfter: limits.cooldownAfter ?? -Infinity, capSince: limits.capSince ?? -Infinity, maxPerCustomer: limits.maxPerCustomer ?? Infinity },
  };
}

function reply(answers: Answer[]): void {
  if (answers.length > 0) port.postMessage({ results: answers } satisfies WriterReply);
}

function answersOf(batch: readonly [number, WriteRequest][], results: readonly WriteResult[]): Answer[] {
  return batch.map(([id], index) => [id, results[index]!]);
}

/**
 * Commits what arrived since the last turn. Decisions (those the main thread could not write
 * because the lock was taken) first, answered at once: they are written on a shopper's
 * request and never wait for an fsync (a killed process keeps them, a power cut may lose the
 * last few, which under-counts the budget by at most those actions). Then the rest in the
 * order it arrived: runs of events, outcomes and challenger scores as one group commit each,
 * every erasure alone (its pragmas cannot change inside a transaction), all answered once the
 * log is synced.
 */
function drain(): void {
  drainScheduled = false;
  const batch = queue;
  queue = [];
  const decisions: [number, WriteRequest][] = [];
  const rest: [number, WriteRequest][] = [];
  for (const request of batch) (request[1].op === 'decision' ? decisions : rest).push(request);
  reply(answersOf(decisions, writes.commit(decisions.map(([, request]) => request))));
  let group: [number, WriteRequest][] = [];
  const commitGroup = () => {
    afterCommit(answersOf(group, writes.commit(group.map(([, request]) => request))));
    group = [];
  };
  for (const [id, request] of rest) {
    if (request.op !== 'erase') {
      group.push([id, request]);
      continue;
    }
    commitGroup();
    afterCommit([[id, writes.erase(request.customerId)]]);
  }
  commitGroup();
  if (closing) finishIfIdle();
}

function afterCommit(answers: Answer[]): void {
  if (answers.length === 0) return;
  if (setup.durability === 'normal') return reply(answers);
  for (const answer of answers) awaitingSync.push(answer);
  if (!syncing) syncLog();
}

/** fdatasync of the write-ahead log on the thread pool; what is committed meanwhile is synced by the next one. */
function syncLog(): void {
  const answers = awaitingSync;
  awaitingSync = [];
  syncing = true;
  fdatasync(walFd(), (error) => {
    syncing = false;
    reply(error ? answers.map(([id, result]) => [id, result.ok ? notDurable(error) : result]) : answers);
    if (awaitingSync.length > 0) syncLog();
    if (closing) finishIfIdle();
  });
}

function notDurable(error: Error): WriteResult {
  return { ok: false, code: 'STORE_WRITE', message: `committed, but the write-ahead log could not be synced to disk (${error.message}): retry with event ids` };
}

/**
 * The log's file, opened once. Its directory is synced once too: the log file itself must
 * survive a power cut, not only its contents.
 */
function walFd(): number {
  if (logFd === undefined) {
    logFd = openSync(`${setup.file}-wal`, 'r');
    const directory = openSync(dirname(setup.file), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  }
  return logFd;
}

function finishIfIdle(): void {
  if (syncing || drainScheduled || queue.length > 0) return;
  if (logFd !== undefined) closeSync(logFd);
  db.close();
  port.postMessage({ closed: true } satisfies WriterReply);
  port.close();
}
