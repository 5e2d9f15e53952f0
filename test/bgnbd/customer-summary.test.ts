import { describe, expect, test } from 'vitest';
import { summariseCustomers } from '../../src/bgnbd/customer-summary.js';
import { InputError } from '../../src/errors.js';
import type { ChurnEvent } from '../../src/events/types.js';

const day = (iso: string, hour = 0): number => Date.parse(`${iso}T${String(hour).padStart(2, '0')}:00:00Z`);
const order = (customerId: string, ts: number): ChurnEvent => ({ customerId, ts, type: 'order', value: 10 });

describe('summariseCustomers', () => {
  test('counts repeat purchase days, not orders, and measures t_x and T in weeks from the first purchase day', async () => {
    const events = [
      order('a', day('2024-01-01', 9)),
      order('a', day('2024-01-01', 18)),
      order('a', day('2024-01-08', 12)),
      order('a', day('2024-01-15', 23)),
    ];
    const [summary] = await summariseCustomers(events, day('2024-01-30'));
    // Cut-off 2024-01-30T00:00 (exclusive): the as-of day is 2024-01-29, four weeks after the first purchase.
    expect(summary).toEqual({ customerId: 'a', x: 2, tx: 2, T: 4 });
  });

  test('ignores other event types, orders at or after the cut-off, and customers who had not ordered yet', async () => {
    const events: ChurnEvent[] = [
      { customerId: 'a', ts: day('2024-01-01'), type: 'page_view' },
      order('a', day('2024-01-08')),
      order('a', day('2024-01-16')),
      order('b', day('2024-02-02')),
    ];
    // The order at exactly the cut-off (2024-01-16T00:00) is outside the observation.
    const summaries = await summariseCustomers(events, day('2024-01-16'));
    expect(summaries).toEqual([{ customerId: 'a', x: 0, tx: 0, T: 1 }]);
  });

  test('gives the same summary whatever order the events arrive in', async () => {
    const sorted = [order('a', day('2024-01-01')), order('a', day('2024-01-03')), order('a', day('2024-01-03', 5)), order('a', day('2024-01-10'))];
    const shuffled = [sorted[3]!, sorted[1]!, sorted[0]!, sorted[2]!];
    const cutoff = day('2024-02-01');
    expect(await summariseCustomers(shuffled, cutoff)).toEqual(await summariseCustomers(sorted, cutoff));
  });

  test('reads an async stream of events', async () => {
    async function* stream() {
      yield order('a', day('2024-01-01'));
      yield order('a', day('2024-01-15'));
    }
    expect(await summariseCustomers(stream(), day('2024-01-30'))).toEqual([{ customerId: 'a', x: 1, tx: 2, T: 4 }]);
  });

  test('rejects a cut-off that is not a finite time', async () => {
    await expect(summariseCustomers([], Number.NaN)).rejects.toThrow(InputError);
  });
});
