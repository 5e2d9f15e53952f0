/**
 * Work sampled on the request path and done after the answer: drift counting and challenger
 * scoring. The request pays for a sampling decision and, when sampled, four stores into
 * arrays allocated once (no object per request); the work runs in a batch on a later turn
 * of the event loop (`setImmediate`, or `setTimeout(0)` where there is none), so it never
 * delays a response. When the work falls behind and the buffer is full, samples are dropped
 * and counted, never queued without bound.
 */
import { later } from './next-turn.js';
import type { RawRecord, ServingModel } from './serving-model.js';

/** What the batch's work reads, sample by sample (index 0 to count − 1). */
export interface SampledScores {
  model(index: number): ServingModel;
  record(index: number): RawRecord;
  probability(index: number): number;
  customerId(index: number): string | null;
  ts(index: number): number;
}

export class AfterResponseQueue implements SampledScores {
  /** Samples dropped because the buffer was full. */
  dropped = 0;
  private readonly models: (ServingModel | undefined)[];
  private readonly records: (RawRecord | undefined)[];
  private readonly probabilities: Float64Array;
  private readonly customerIds: (string | null)[];
  private readonly times: Float64Array;
  private length = 0;
  private credit = 0;
  private scheduled = false;
  private readonly flushLater = () => this.flush();

  /**
   * Samples a `fraction` of what it is offered (deterministically: every 1/fraction-th, so
   * the request path draws no random number), up to `capacity` waiting at once.
   *
   * @example
   * const queue = new AfterResponseQueue(0.1, 1024, (samples, count) => countBins(samples, count), onError);
   * queue.offer(model, record, 0.42, 'c-1', Date.now());
   */
  constructor(
    private readonly fraction: number,
    private readonly capacity: number,
    private readonly work: (samples: SampledScores, count: number) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.models = new Array<ServingModel | undefined>(capacity).fill(undefined);
    this.records = new Array<RawRecord | undefined>(capacity).fill(undefined);
    this.probabilities = new Float64Array(capacity);
    this.customerIds = new Array<string | null>(capacity).fill(null);
    this.times = new Float64Array(capacity);
  }

  /** On the request path: keeps the sample if it is drawn, for the work to do later. */
  offer(model: ServingModel, record: RawRecord, probability: number, customerId: string | null, ts: number): void {
    this.credit += this.fraction;
    // The tolerance keeps 0.1 added ten times (0.9999999999999999) a whole sample.
    if (this.credit < 1 - 1e-9) return;
    this.credit -= 1;
    if (this.length === this.capacity) {
      this.dropped++;
      return;
    }
    const at = this.length++;
    this.models[at] = model;
    this.records[at] = record;
    this.probabilities[at] = probability;
    this.customerIds[at] = customerId;
    this.times[at] = ts;
    if (!this.scheduled) {
      this.scheduled = true;
      later(this.flushLater);
    }
  }

  /** Does the waiting work now (also what a reader calls to see every sample so far). */
  flush(): void {
    this.scheduled = false;
    const count = this.length;
    if (count === 0) return;
    try {
      this.work(this, count);
    } catch (error) {
      this.onError(error);
    } finally {
      // Released, so a waiting record never outlives its batch.
      this.models.fill(undefined, 0, count);
      this.records.fill(undefined, 0, count);
      this.customerIds.fill(null, 0, count);
      this.length = 0;
    }
  }

  model(index: number): ServingModel {
    return this.models[index]!;
  }

  record(index: number): RawRecord {
    return this.records[index]!;
  }

  probability(index: number): number {
    return this.probabilities[index]!;
  }

  customerId(index: number): string | null {
    return this.customerIds[index]!;
  }

  ts(index: number): number {
    return this.times[index]!;
  }
}
