/**
 * Customer ids as the Node stores keep them: as given, or, when the operator sets a secret
 * (`customerIdKey`), as keyed hashes: HMAC-SHA256(secret, id) in base64url. Then nothing in
 * the database names a customer: a stolen file or dump cannot be joined with other data by
 * customer id without the secret, while the storefront, which knows both, reads and writes
 * as before. The secret must be the same for every instance on one store, and kept: without
 * it the stored customers cannot be found by id again.
 */
import { createHmac } from 'node:crypto';
import { OptionsError } from '../../src/errors.js';
import { storableCustomerId } from '../customer-id.js';

/** A secret of at least this many bytes (128 bits). */
export const MIN_CUSTOMER_ID_KEY_BYTES = 16;

/** Keyed ids start with this, so a keyed id is never mistaken for a plain one of the same text. */
const KEYED_PREFIX = 'h:';

/** Recently keyed ids kept, so a returning customer costs a map lookup rather than an HMAC. */
const REMEMBERED_IDS = 4_096;

/** Turns a customer id into the key it is stored under. */
export type CustomerKeyer = (customerId: string) => string;

/**
 * The keyer for a store's `customerIdKey` option: the identity without a secret, else the
 * HMAC; either refuses an id no store can keep apart (`storableCustomerId`). Throws an
 * `OptionsError` for a secret shorter than 16 bytes.
 *
 * @example
 * const keyOf = customerKeyer(process.env.CHURNKIT_CUSTOMER_ID_KEY);
 * keyOf('c-42'); // 'h:3q2-7w...' (43 base64url characters after the prefix)
 */
export function customerKeyer(secret: string | Uint8Array | undefined, option = 'customerIdKey'): CustomerKeyer {
  if (secret === undefined) return storableCustomerId;
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret instanceof Uint8Array ? Buffer.from(secret) : undefined;
  if (bytes === undefined || bytes.length < MIN_CUSTOMER_ID_KEY_BYTES) {
    throw new OptionsError(
      'STORE_CUSTOMER_ID_KEY',
      `store option "${option}" must be a secret of at least ${MIN_CUSTOMER_ID_KEY_BYTES} bytes (a string or Uint8Array), got ${bytes === undefined ? typeof secret : `${bytes.length} bytes`}`,
    );
  }
  const remembered = new Map<string, string>();
  return (customerId) => {
    let keyed = remembered.get(customerId);
    if (keyed === undefined) {
      keyed = KEYED_PREFIX + createHmac('sha256', bytes).update(storableCustomerId(customerId), 'utf8').digest('base64url');
      if (remembered.size >= REMEMBERED_IDS) remembered.delete(remembered.keys().next().value!);
      remembered.set(customerId, keyed);
    }
    return keyed;
  };
}
