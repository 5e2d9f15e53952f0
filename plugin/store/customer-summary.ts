/** A listed customer from their stored state, as the SQLite and Redis stores list them. */
import { ChurnkitError } from '../../src/errors.js';
import { decodeCustomerState, type StoredState } from '../../src/features/state-codec.js';
import type { CustomerSummary } from './types.js';

/**
 * The customer with their state decoded, or marked unreadable when it cannot be
 * (`STATE_FORMAT`): a listing goes on past one bad row. Any other failure is thrown.
 *
 * @example
 * rows.map((row) => customerSummary(row.customer_id, row.state));
 */
export function customerSummary(customerId: string, stored: StoredState): CustomerSummary {
  try {
    return { customerId, state: decodeCustomerState(stored) };
  } catch (error) {
    if (!(error instanceof ChurnkitError && error.code === 'STATE_FORMAT')) throw error;
    return { customerId, state: null, unreadable: error };
  }
}
