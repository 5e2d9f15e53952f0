/**
 * The served-score histogram, counted on the request path without prom-client: its
 * `observe` builds a closure, a label hash and a value object per call, which a product
 * page scored on every view pays on every view. Here an observation is a bucket search
 * and three additions; prom-client sees an ordinary histogram when it scrapes (the
 * registry only calls `get()` and `reset()` on what it holds).
 */
import type { Metric, Registry } from 'prom-client';

interface ExportedValue {
  value: number;
  labels: { le?: number | string };
  metricName: string;
}

export class ScoreHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  /**
   * Registers a histogram of `name` on `registry`, with upper bounds `buckets` (ascending).
   *
   * @example
   * const scores = new ScoreHistogram(registry, 'churnkit_churn_probability', 'Churn probabilities served.', [0.1, 0.5, 1]);
   * scores.observe(0.42);
   */
  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {
    this.counts = new Float64Array(buckets.length);
    registry.registerMetric(this as unknown as Metric);
  }

  /** Counts one value (values above the last bound count only in +Inf, as in Prometheus). */
  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let bucket = 0; bucket < this.buckets.length; bucket++) {
      if (value <= this.buckets[bucket]!) {
        this.counts[bucket]!++;
        return;
      }
    }
  }

  /** What the registry exports: cumulative buckets, +Inf, sum and count (prom-client's shape). */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: ExportedValue[] }> {
    const values: ExportedValue[] = [];
    let cumulative = 0;
    this.buckets.forEach((bound, bucket) => {
      cumulative += this.counts[bucket]!;
      values.push({ value: cumulative, labels: { le: bound }, metricName: `${this.name}_bucket` });
    });
    values.push(
      { value: this.count, labels: { le: '+Inf' }, metricName: `${this.name}_bucket` },
      { value: this.sum, labels: {}, metricName: `${this.name}_sum` },
      { value: this.count, labels: {}, metricName: `${this.name}_count` },
    );
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}
