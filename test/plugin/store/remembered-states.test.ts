import { describe, expect, it } from 'vitest';
import { RememberedStates } from '../../../plugin/store/remembered-states.js';

const state = (size: number, digest = `d${size}`) => ({ bytes: Buffer.alloc(size), digest });

describe('RememberedStates', () => {
  it('keeps the newest states within its byte bound, dropping the longest unwritten first', () => {
    const states = new RememberedStates({ maxBytes: 100 });
    try {
      states.remember('a', state(40));
      states.remember('b', state(40));
      // Written again: now the newest, so 'b' is the oldest.
      states.remember('a', state(30, 'a2'));
      states.remember('c', state(40));
      expect(states.get('b')).toBeUndefined();
      expect(states.get('a')?.digest).toBe('a2');
      expect(states.get('c')?.digest).toBe('d40');
      // 30 + 40 kept; 40 more passes 100, so 'a' goes.
      states.remember('d', state(40));
      expect(states.get('a')).toBeUndefined();
      expect([states.get('c'), states.get('d')].every(Boolean)).toBe(true);
    } finally {
      states.clear();
    }
  });

  it('never keeps a state larger than the bound, and forgets on demand', () => {
    const states = new RememberedStates({ maxBytes: 100 });
    try {
      states.remember('small', state(10));
      states.remember('huge', state(101));
      expect(states.get('huge')).toBeUndefined();
      expect(states.get('small')).toBeDefined();
      states.forget('small');
      expect(states.get('small')).toBeUndefined();
      // Forgotten bytes no longer count: a full-size state fits again.
      states.remember('full', state(100));
      expect(states.get('full')).toBeDefined();
    } finally {
      states.clear();
    }
    expect(states.get('full')).toBeUndefined();
  });

  it('keeps a state no longer than its age bound after it was written, read or not', () => {
    let now = 0;
    const states = new RememberedStates({ maxAgeMs: 60_000, clock: () => now });
    try {
      states.remember('early', state(10));
      now = 30_000;
      states.remember('later', state(10));
      now = 60_000;
      expect(states.get('early')).toBeDefined();
      now = 60_001;
      expect(states.get('early')).toBeUndefined();
      // Written again (at 60,001), a state starts a new age.
      states.remember('later', state(10, 'again'));
      now = 100_000;
      expect(states.get('later')?.digest).toBe('again');
      now = 120_002;
      expect(states.get('later')).toBeUndefined();
    } finally {
      states.clear();
    }
  });
});
