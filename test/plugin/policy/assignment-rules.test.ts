/**
 * The hold-out and exploration draws at their edges: each is "position < share", the hold-out
 * takes the lowest positions, exploration is drawn per customer and per day with its own salt,
 * and there is nothing to explore among no allowed actions.
 */
import { describe, expect, it } from 'vitest';
import { explorationPick, isExplored } from '../../../plugin/policy/exploration.js';
import { assignGroup, holdoutPosition } from '../../../plugin/policy/holdout.js';
import { hashPosition } from '../../../src/train/hash-position.js';

const customers = Array.from({ length: 200 }, (_, index) => `customer-${index}`);
const days = Array.from({ length: 60 }, (_, index) => new Date(Date.UTC(2026, 0, 1 + index)).toISOString().slice(0, 10));

describe('the hold-out', () => {
  it('holds out exactly the customers whose position is below the fraction, a customer at the fraction itself not', () => {
    for (const id of customers) expect(assignGroup(id, 0.3, 'salt')).toBe(holdoutPosition(id, 'salt') < 0.3 ? 'holdout' : 'treatment');
    const position = holdoutPosition('customer-7', 'salt');
    expect(assignGroup('customer-7', position, 'salt')).toBe('treatment');
    expect(assignGroup('customer-7', position + 1e-12, 'salt')).toBe('holdout');
  });

  it('keeps salt and customer id apart: salt "a" with id "bc" is not salt "ab" with id "c"', () => {
    expect(holdoutPosition('bc', 'a')).not.toBe(holdoutPosition('c', 'ab'));
  });
});

describe('exploration', () => {
  const settings = { rate: 0.5, salt: 'explore' };

  it('explores a customer-day whose position is below the rate, not one exactly at it', () => {
    const position = hashPosition('explore\u0000c1\u00002026-01-01');
    expect(isExplored({ rate: position, salt: 'explore' }, 'c1', '2026-01-01')).toBe(false);
    expect(isExplored({ rate: position + 1e-12, salt: 'explore' }, 'c1', '2026-01-01')).toBe(true);
  });

  it('draws again every day: at rate 0.5 one customer is explored on some of 60 days and not on others', () => {
    const explored = days.filter((day) => isExplored(settings, 'c1', day)).length;
    expect(explored).toBeGreaterThan(0);
    expect(explored).toBeLessThan(days.length);
  });

  it('draws with its own salt: another salt explores other customers', () => {
    const day = days[0]!;
    const first = customers.filter((id) => isExplored(settings, id, day));
    const second = customers.filter((id) => isExplored({ rate: 0.5, salt: 'other' }, id, day));
    expect(first).not.toEqual(second);
  });

  it('picks nothing (-1) among no allowed actions, even on a day it explores', () => {
    expect(isExplored({ rate: 1, salt: 'explore' }, 'c1', days[0]!)).toBe(true);
    expect(explorationPick({ rate: 1, salt: 'explore' }, 'c1', days[0]!, 0)).toBe(-1);
  });
});
