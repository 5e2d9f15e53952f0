import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeBudget } from '../../plugin/store-budget.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

describe('store budget', () => {
  it('passes through work that finishes in time', async () => {
    const budget = storeBudget(5);
    const read = budget.call(after(3, 'state'), 'reading customer state');
    await vi.advanceTimersByTimeAsync(3);
    await expect(read).resolves.toBe('state');
    budget.release();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is one budget for all the calls of a request, not one per call', async () => {
    const budget = storeBudget(5);
    const first = budget.call(after(3, 'state'), 'reading customer state');
    await vi.advanceTimersByTimeAsync(3);
    await expect(first).resolves.toBe('state');
    const second = budget.call(after(3, []), 'reading past decisions');
    const outcome = expect(second).rejects.toThrow('store did not answer within 5 ms while reading past decisions');
    await vi.advanceTimersByTimeAsync(2);
    await outcome;
  });

  it('leaves no timer behind once released', async () => {
    const budget = storeBudget(5);
    await budget.call(Promise.resolve(1), 'reading customer state');
    budget.release();
    expect(vi.getTimerCount()).toBe(0);
  });
});
