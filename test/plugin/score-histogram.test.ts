import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ScoreHistogram } from '../../plugin/express/score-histogram.js';

describe('ScoreHistogram', () => {
  it('exports cumulative buckets, +Inf, sum and count in the Prometheus text format', async () => {
    const registry = new Registry();
    const scores = new ScoreHistogram(registry, 'test_probability', 'Probabilities.', [0.1, 0.5, 1]);
    for (const value of [0.05, 0.1, 0.3, 0.5, 0.7, 1]) scores.observe(value);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE test_probability histogram');
    expect(text).toContain('test_probability_bucket{le="0.1"} 2');
    expect(text).toContain('test_probability_bucket{le="0.5"} 4');
    expect(text).toContain('test_probability_bucket{le="1"} 6');
    expect(text).toContain('test_probability_bucket{le="+Inf"} 6');
    expect(text).toContain('test_probability_sum 2.65');
    expect(text).toContain('test_probability_count 6');
  });

  it('is emptied by the registry reset, and refuses a second metric of its name', async () => {
    const registry = new Registry();
    const scores = new ScoreHistogram(registry, 'test_probability', 'Probabilities.', [0.5]);
    scores.observe(0.2);
    registry.resetMetrics();
    expect(await registry.metrics()).toContain('test_probability_count 0');
    expect(() => new ScoreHistogram(registry, 'test_probability', 'Again.', [0.5])).toThrow(/already been registered/);
  });
});
