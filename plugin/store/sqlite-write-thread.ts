/**
 * The main thread's end of the SQLite store's writer thread (`sqlite-write-worker.ts`).
 * Requests made in one turn of the event loop go over in one message; each resolves when
 * the writer has committed it. The event loop never waits for a disk or a lock: a write
 * held up by another process's lock only makes its own promise wait.
 */
import { Worker } from 'node:worker_threads';
import { ChurnkitError } from '../../src/errors.js';
import type { WriterMessage, WriterReply, WriterSetup } from './sqlite-write-worker.js';
import { WriterSignals } from './sqlite-writer-signals.js';
import type { WriteRequest, WriteResult } from './sqlite-writes.js';
import { afterOwnCommit } from './sqlite-read-snapshot.js';

/** Events waiting for the writer at most; past it appends are refused (STORE_BUSY) rather than queued without bound. */
export const MAX_QUEUED_EVENTS = 200_000;

/** How long opening the store waits for its writer thread to start (loading better-sqlite3 there, opening the file). */
const START_TIMEOUT_MS = 10_000;

/**
 * Answers settled per turn of the event loop. One reply of the writer can answer hundreds of
 * requests (all that waited for a lock another process held): settled in one turn, their
 * handlers ran back to back and every other request of the storefront (a product page) waited
 * for the whole burst. The rest are settled in the turns that follow, with the I/O of each
 * turn between them.
 */
const SETTLED_PER_TURN = 16;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  events: number;
}

export class SqliteWriteThread {
  /** Whether the writer has started, in shared memory. */
  private readonly signals = new WriterSignals();
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  /** Requests made this turn, each as `[id, request]` in JSON text (`WriterMessage`). */
  private outgoing: string[] = [];
  private flushScheduled = false;
  /** Answers received and not yet settled (`SETTLED_PER_TURN`), in the writer's order. */
  private unsettled: [number, WriteResult][] = [];
  private settleScheduled = false;
  private nextId = 1;
  private queuedEvents = 0;
  private closed: Promise<void> | undefined;

  /**
   * Starts the writer and waits (blocking, at start-up only) until it has opened its
   * connection; throws a `ChurnkitError` (`STORE_OPEN`) if it could not.
   */
  constructor(private readonly setup: Omit<WriterSetup, 'signals'>) {
    const worker = this.start();
    const failure = this.signals.waitForStart(START_TIMEOUT_MS);
    if (failure !== null) {
      void worker.terminate();
      throw new ChurnkitError('STORE_OPEN', `the SQLite store's writer could not open ${setup.file}: ${failure}`);
    }
  }

  /** Sends `request` to the writer; resolves with its value once committed. */
  write<T>(request: WriteRequest): Promise<T> {
    if (this.closed) return Promise.reject(new ChurnkitError('STORE_CLOSED', 'the SQLite store is closed'));
    const events = request.op === 'append' ? request.events.length : 0;
    if (events > 0 && this.queuedEvents + events > MAX_QUEUED_EVENTS) {
      return Promise.reject(
        new ChurnkitError('STORE_BUSY', `${this.queuedEvents} events are already waiting for the SQLite writer (at most ${MAX_QUEUED_EVENTS}); events not stored`),
      );
    }
    const id = this.nextId++;
    let json: string;
    try {
      json = JSON.stringify([id, request]);
    } catch (error) {
      return Promise.reject(new ChurnkitError('STORE_WRITE', `a write the SQLite store cannot take as JSON: ${(error as Error).message}`, { cause: error }));
    }
    const worker = this.worker ?? this.start();
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, events });
      this.queuedEvents += events;
      this.outgoing.push(json);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** True once `close` was called: nothing more may be written. */
  isClosed(): boolean {
    return this.closed !== undefined;
  }

  /** Commits what is waiting, then stops the writer (which closes its connection). */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      const worker = this.worker;
      if (!worker) return resolve();
      this.flush();
      worker.ref();
      worker.once('exit', () => resolve());
      worker.postMessage({ close: true } satisfies WriterMessage);
    });
    return this.closed;
  }

  private start(): Worker {
    this.signals.restart();
    const worker = new Worker(new URL('./sqlite-write-worker.js', import.meta.url), {
      workerData: { ...this.setup, signals: this.signals.buffer } satisfies WriterSetup,
    });
    worker.unref();
    worker.on('message', (reply: WriterReply) => {
      if (!('results' in reply)) return;
      // Committed (or refused): the read snapshots that could not see it end before any caller hears.
      afterOwnCommit();
      for (const answer of reply.results) this.unsettled.push(answer);
      if (!this.settleScheduled) this.settleSome();
    });
    worker.on('error', (error) => this.failAll(worker, error));
    worker.on('exit', (code) => this.failAll(worker, new Error(`the SQLite writer thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoing.length === 0 || !this.worker) return;
    const requests = this.outgoing;
    this.outgoing = [];
    this.worker.postMessage({ requests: `[${requests.join(',')}]` } satisfies WriterMessage);
  }

  /** Settles the next `SETTLED_PER_TURN` answers now, the rest from the next turn on. */
  private settleSome(): void {
    this.settleScheduled = false;
    const answers = this.unsettled.splice(0, SETTLED_PER_TURN);
    for (const [id, result] of answers) this.settle(id, result);
    if (this.unsettled.length > 0) {
      this.settleScheduled = true;
      setImmediate(() => this.settleSome());
    }
  }

  private settle(id: number, result: WriteResult): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    this.queuedEvents -= pending.events;
    if (this.pending.size === 0) this.worker?.unref();
    if (result.ok) pending.resolve(result.value);
    else pending.reject(new ChurnkitError(result.code, result.message));
  }

  /** The writer is gone: whatever it had not answered was not committed (or is unknown): fail it; the next write starts a new writer. */
  private failAll(worker: Worker, cause: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    // What it did answer stands.
    for (const [id, result] of this.unsettled.splice(0)) this.settle(id, result);
    const error = new ChurnkitError('STORE_WRITER', `SQLite writer thread failed: ${cause.message}`, { cause });
    // Some of what it had not answered may have committed: let the next read see it.
    afterOwnCommit();
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.queuedEvents = 0;
    this.outgoing = [];
  }
}
