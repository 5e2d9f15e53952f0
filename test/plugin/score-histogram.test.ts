import { Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ScoreHistogram } from '../../plugin/express/score-histogram.js';
import { DAY, NOW, testStorefront } from './plugin-app.js';
import { countingModel, testModel } from './test-model.js';

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

describe('the served-score metrics', () => {
  it('count an answer served from memory like one computed: the histogram and the group counters see every view', async () => {
    const { model: counting, counter: predictions } = countingModel(await testModel(), 'predict');
    const shop = await testStorefront({ model: counting, cacheTtlMs: 60_000 });
    try {
      await shop.store.appendEvents([{ customerId: 'c1', ts: NOW - 300 * DAY, type: 'order', value: 40 }]);
      const views = [];
      for (let view = 0; view < 3; view++) views.push((await request(shop.app).get('/product/p1').set('x-customer-id', 'c1').expect(200)).body.churn);
      // One prediction: the second and third views were the remembered answer.
      expect(predictions.calls).toBe(1);
      const text = (await request(shop.app).get('/churn/metrics').expect(200)).text;
      expect(text).toContain('churnkit_churn_probability_count 3');
      expect(text).toContain(`churnkit_decisions_by_group_total{group="${views[0].group}"} 3`);
    } finally {
      await shop.close();
    }
  });
});
