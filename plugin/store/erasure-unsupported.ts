/** The error of a store that cannot erase a customer (no `eraseCustomer`): the erasure route answers it with 501. */
import { ChurnkitError } from '../../src/errors.js';

export const ERASURE_UNSUPPORTED = 'ERASURE_UNSUPPORTED';

/**
 * @example
 * if (store.eraseCustomer === undefined) throw erasureUnsupported();
 */
export function erasureUnsupported(): ChurnkitError {
  return new ChurnkitError(ERASURE_UNSUPPORTED, 'this store cannot erase a customer (it has no eraseCustomer method): use a store that can, or erase the customer in the store directly');
}
