import { describe, expect, it } from 'vitest';
import { planCutoffs } from '../../src/retrain/cutoff-plan.js';

const DAY = 86_400_000;
const FIRST = Date.parse('2025-01-01T08:00:00Z');
const LAST = Date.parse('2026-02-04T12:00:00Z');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('the cut-offs of an out-of-time retrain', () => {
  it('evaluates on the latest cut-off whose horizon has elapsed, and trains on cut-offs whose labels end by it', () => {
    const plan = planCutoffs(FIRST, LAST, { horizon: '90d', trainingCutoffs: 3, step: '30d' });
    // The latest event's day may still be under way: the complete log ends at its midnight.
    expect(day(plan.untilMs)).toBe('2026-02-04');
    expect(day(plan.evaluation.cutoffMs)).toBe('2025-11-06');
    expect(plan.evaluation.labelEndMs).toBe(plan.untilMs);
    expect(plan.training.map((label) => day(label.cutoffMs))).toEqual(['2025-06-09', '2025-07-09', '2025-08-08']);
    for (const label of plan.training) expect(label.labelEndMs).toBeLessThanOrEqual(plan.evaluation.cutoffMs);
  });

  it('carries the churn definition (gap, active types) into every cut-off', () => {
    const plan = planCutoffs(FIRST, LAST, { horizon: '60d', gap: '7d', activeTypes: ['order', 'session_start'], trainingCutoffs: 1, step: '30d', untilMs: Date.parse('2026-01-01') });
    expect(day(plan.evaluation.cutoffMs)).toBe('2025-11-02');
    expect(plan.evaluation.labelStartMs - plan.evaluation.cutoffMs).toBe(7 * DAY);
    expect(plan.training[0]!.activeTypes).toEqual(['order', 'session_start']);
  });

  it('leaves out training cut-offs before the first event, and refuses a log too short for any', () => {
    const plan = planCutoffs(Date.parse('2025-06-01'), LAST, { horizon: '90d', trainingCutoffs: 5, step: '30d' });
    expect(plan.training.map((label) => day(label.cutoffMs))).toEqual(['2025-06-09', '2025-07-09', '2025-08-08']);
    expect(() => planCutoffs(Date.parse('2025-09-01'), LAST, { horizon: '90d', trainingCutoffs: 3, step: '30d' })).toThrow(
      expect.objectContaining({ code: 'RETRAIN_LOG_TOO_SHORT', message: expect.stringMatching(/spans 2025-09-01 to 2026-02-04 \(156 days\).*needs more than two horizons \(180 days\)/) }),
    );
  });

  it('refuses a horizon, gap or step that makes no sense', () => {
    const plan = (options: { horizon?: string; gap?: string; step?: string }) => () =>
      planCutoffs(FIRST, LAST, { horizon: options.horizon ?? '90d', step: options.step ?? '30d', trainingCutoffs: 2, ...(options.gap ? { gap: options.gap } : {}) });
    expect(plan({ horizon: 'soon' })).toThrow(/--horizon must be a duration/);
    expect(plan({ gap: '90d' })).toThrow(/--gap \(90d\) must be shorter than --horizon/);
    expect(plan({ step: '0' })).toThrow(/--step must be longer than zero/);
  });

  it('refuses an --until in the future, not after the first event, or past the day of the last event, naming --until', () => {
    const options = { horizon: '90d', trainingCutoffs: 3, step: '30d' };
    expect(() => planCutoffs(FIRST, LAST, { ...options, untilMs: Date.parse('2999-09-03') })).toThrow(/^--until 2999-09-03T00:00:00\.000Z is in the future \(it is now .*\): the log can only be complete up to now$/);
    expect(() => planCutoffs(FIRST, LAST, { ...options, untilMs: Date.parse('1990-01-01') })).toThrow(
      /^--until 1990-01-01T00:00:00\.000Z is not after the store's first event \(2025-01-01T08:00:00\.000Z\): no history would be left to retrain from$/,
    );
    // The end of the last event's day is fine; a second later the log is not known to be complete.
    expect(planCutoffs(FIRST, LAST, { ...options, untilMs: Date.parse('2026-02-05') }).untilMs).toBe(Date.parse('2026-02-05'));
    expect(() => planCutoffs(FIRST, LAST, { ...options, untilMs: Date.parse('2026-02-05T00:00:01Z') })).toThrow(
      expect.objectContaining({
        code: 'RETRAIN_UNTIL',
        message: "--until 2026-02-05T00:00:01.000Z is after the day of the store's last event (2026-02-04T12:00:00.000Z): the log holds nothing after it to show it is complete; give --until 2026-02-05T00:00:00.000Z or earlier",
      }),
    );
  });
});
