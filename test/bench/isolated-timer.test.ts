import { describe, expect, it } from 'vitest';
// The built bench: the timer forks the compiled child (`npm test` builds first, in pretest).
import { isolatedTimer } from '../../dist/bench/isolated-timer.js';
import { measureSingleRowRounds } from '../../dist/bench/single-row.js';
import { requireFreshDist } from '../support/fresh-build.js';

requireFreshDist();

describe('isolated single-row timer', () => {
  it('times a backend in a process of its own, series after series, once it passed its parity check', async () => {
    const timer = await isolatedTimer('plain-js', 'lr');
    try {
      expect(timer.id).toBe('lr/plain-js');
      const first = await timer.time(1000);
      const second = await timer.time(10);
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(0);
      const results = await measureSingleRowRounds([timer], { blocks: 3, targetBlockNs: 1e5, warmupCalls: 100 }, 2);
      expect(results.get('lr/plain-js')!.p50Ns).toHaveLength(2);
    } finally {
      timer.close();
    }
  });

  it('rejects with the child\'s reason when the contestant cannot start', async () => {
    await expect(isolatedTimer('plain-js', 'no-such-workload')).rejects.toThrow(/unknown workload "no-such-workload"/);
  });

  it('fails a pending series when the child dies, instead of waiting forever', async () => {
    const timer = await isolatedTimer('plain-js', 'lr');
    const pending = timer.time(1e9);
    timer.close();
    await expect(pending).rejects.toThrow();
  });
});
