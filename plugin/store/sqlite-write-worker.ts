/**
 * The SQLite store's writer thread: its own connection, every write, every fsync and every
 * wait for a lock held by another process, so none of them runs on the storefront's event
 * loop (`sqlite-write-thread.ts` is the other end).
 *
 * How a write becomes durable without holding anything up:
 * - requests received while the last commit's fsync ran are committed together when it
 *   ends (group commit), with synchronous=NORMAL: SQLite writes the frames to the
 *   write-ahead log and releases its write lock without an fsync;
 * - then the log is fdatasync'ed on libuv's thread pool, and only then are those appends,
 *   outcomes and erasures acknowledged. Everything written to the log before that fsync
 *   (their commit frames included) is on disk: the same promise as synchronous=FULL, but
 *   neither SQLite's lock nor this thread waits for the disk, so decisions (acknowledged at
 *   commit, as before) go on while the fsync runs, and what arrives meanwhile is the next
 *   group commit.
 */
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { customerKeyer } from './customer-keys.js';
import { WriterSignals } from './sqlite-writer-signals.js';
import { SqliteWrites, warmUpWrites, type WriteRequest, type WriteResult } from './sqlite-writes.js';
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

/** Main thread → writer. */
export type WriterMessage = { requests: [id: number, request: WriteRequest][] } | { close: true };
/** Writer → main thread. */
export type WriterReply = { results: [id: number, result: WriteResult][] } | { closed: true };

type Answer = [id: number, result: WriteResult];

/**
 * Pages in the write-ahead log before a commit copies them back into the database file
 * (SQLite's default is 1,000, 4 MB). Events touch customers and index pages all over the
 * file, and a page changed in many commits is copied back once per checkpoint: ten times
 * fewer checkpoints cut the writer's CPU per event by about a quarter here, for a log of up to
 * 40 MB on disk (reused, not grown further).
 */
const CHECKPOINT_PAGES = 10_000;

const port = parentPort!;
const setup = workerData as WriterSetup;
const signals = new WriterSignals(setup.signals);
lowerThreadPriority();
let db: Database.Database;
let writes: SqliteWrites;
try {
  db = new Database(setup.file);
  db.pragma(`busy_timeout = ${setup.busyTimeoutMs}`);
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
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
/** Events, outcomes, scores and erasures received while an fsync runs: committed together once it ends. */
let waiting: [number, WriteRequest][] = [];
/** Committed, waiting for the next fsync of the log. */
let awaitingSync: Answer[] = [];
let syncing = false;
let logFd: number | undefined;

port.on('message', (message: WriterMessage) => {
  if ('close' in message) closing = true;
  else for (const request of message.requests) queue.push(request);
  if (!drainScheduled) {
    drainScheduled = true;
    setImmediate(drain);
  }
});

function reply(answers: Answer[]): void {
  if (answers.length > 0) port.postMessage({ results: answers } satisfies WriterReply);
}

function answersOf(batch: readonly [number, WriteRequest][], results: readonly WriteResult[]): Answer[] {
  return batch.map(([id], index) => [id, results[index]!]);
}

/**
 * Decisions (those the main thread could not write because the lock was taken) are committed
 * at once and answered at once: they are written on a shopper's request and never wait for an
 * fsync (a killed process keeps them, a power cut may lose the last few, which under-counts the
 * budget by at most those actions). Everything else waits while an fsync runs, so that all
 * that arrives during one fsync is one commit: the pages it changes are written to the log
 * once, not once per turn (each turn's commit rewrote the same customer and index pages).
 */
function drain(): void {
  drainScheduled = false;
  const batch = queue;
  queue = [];
  const decisions = batch.filter(([, request]) => request.op === 'decision');
  reply(answersOf(decisions, writes.commit(decisions.map(([, request]) => request))));
  for (const request of batch) if (request[1].op !== 'decision') waiting.push(request);
  if (!syncing) commitWaiting();
  if (closing) finishIfIdle();
}

/**
 * Commits the waiting requests in the order they arrived: runs of events, outcomes and
 * challenger scores as one group commit each, every erasure alone (its pragmas cannot change
 * inside a transaction), all answered once the log is synced.
 */
function commitWaiting(): void {
  const batch = waiting;
  waiting = [];
  let group: [number, WriteRequest][] = [];
  const commitGroup = () => {
    afterCommit(answersOf(group, writes.commit(group.map(([, request]) => request))));
    group = [];
  };
  for (const [id, request] of batch) {
    if (request.op !== 'erase') {
      group.push([id, request]);
      continue;
    }
    commitGroup();
    afterCommit([[id, writes.erase(request.customerId)]]);
  }
  commitGroup();
}

function afterCommit(answers: Answer[]): void {
  if (answers.length === 0) return;
  if (setup.durability === 'normal') return reply(answers);
  for (const answer of answers) awaitingSync.push(answer);
  if (!syncing) syncLog();
}

/** fdatasync of the write-ahead log on the thread pool; what arrives meanwhile is committed when it ends, and synced next. */
function syncLog(): void {
  const answers = awaitingSync;
  awaitingSync = [];
  syncing = true;
  fdatasync(walFd(), (error) => {
    syncing = false;
    reply(error ? answers.map(([id, result]) => [id, result.ok ? notDurable(error) : result]) : answers);
    commitWaiting();
    // Commits made while this fsync ran (an erasure's group and the requests after it) need the next one.
    if (!syncing && awaitingSync.length > 0) syncLog();
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
  if (syncing || drainScheduled || queue.length > 0 || waiting.length > 0) return;
  if (logFd !== undefined) closeSync(logFd);
  db.close();
  port.postMessage({ closed: true } satisfies WriterReply);
  port.close();
}
