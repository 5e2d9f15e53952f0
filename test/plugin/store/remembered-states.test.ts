import { describe, expect, it } from 'vitest';
import { RememberedStates } from '../../../plugin/store/remembered-states.js';

const state = (size: number, digest = `d${size}`) => ({ bytes: Buffer.alloc(size), digest });

describe('RememberedStates', () => {
  it('keeps the newest states within its byte bound, dropping the longest unwritten first', () => {
    const states = new RememberedStates(100);
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
  });

  it('never keeps a state larger than the bound, and forgets on demand', () => {
    const states = new RememberedStates(100);
    states.remember('small', state(10));
    states.remember('huge', state(101));
    expect(states.get('huge')).toBeUndefined();
    expect(states.get('small')).toBeDefined();
    states.forget('small');
    expect(states.get('small')).toBeUndefined();
    // Forgotten bytes no longer count: a full-size state fits again.
    states.remember('full', state(100));
    expect(states.get('full')).toBeDefined();
    states.clear();
    expect(states.get('full')).toBeUndefined();
  });
});
