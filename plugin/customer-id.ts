import { ChurnkitError } from '../src/errors.js';

/**
 * The longest customer id churnkit takes, in characters after trimming: on every route
 * (events, outcomes, erasure, scores) and from the `identify` hook alike, so any customer
 * the plugin decided on can also be given outcomes and erased over HTTP.
 */
export const CUSTOMER_ID_MAX_LENGTH = 200;

/** In `u` mode a surrogate pair is one code point, so this matches only half of one. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Why a customer id must be Unicode text: JSON's `\ud800` escape gives a string no UTF-8 can
 * hold, and every store writes its keys as UTF-8 (KV, a Durable Object's storage, SQLite),
 * where a lone surrogate becomes U+FFFD: "x\ud800", "x\udc00" and "x\ufffd" would be one
 * customer, each reading the others' events and decisions.
 */
export const CUSTOMER_ID_NOT_TEXT = 'expected Unicode text: the id holds half of a UTF-16 surrogate pair (a lone \\ud800-\\udfff escape), which no store can keep apart from other ids';

/**
 * Whether `id` is Unicode text, that is holds no lone UTF-16 surrogate (`String.prototype.isWellFormed`, ES2024).
 *
 * @example
 * isUnicodeText('c-42'); // true
 * isUnicodeText('c-\ud800'); // false
 */
export function isUnicodeText(id: string): boolean {
  return !LONE_SURROGATE.test(id);
}

/** Every half of a surrogate pair in a text, for `wellFormed`. */
const LONE_SURROGATES = new RegExp(LONE_SURROGATE, 'gu');

/**
 * `text` as UTF-8 keeps it: each half of a surrogate pair as U+FFFD (`String.prototype.toWellFormed`, ES2024).
 *
 * @example
 * wellFormed('shoes\ud83d'); // 'shoes\ufffd'
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATES, '\ufffd');
}

/**
 * The id, if a store can keep it apart from every other: one holding half of a UTF-16
 * surrogate pair is written as UTF-8 with U+FFFD in its place (SQLite text, Redis and KV keys,
 * the HMAC's input), so it would read and write another customer's data. The routes refuse
 * such ids before the store; this guards the stores' own callers (a batch job).
 *
 * @example
 * storableCustomerId('c-42'); // 'c-42'
 * storableCustomerId('c-\ud800'); // throws STORE_CUSTOMER_ID
 */
export function storableCustomerId(customerId: string): string {
  if (!isUnicodeText(customerId)) throw new ChurnkitError('STORE_CUSTOMER_ID', `customer id ${JSON.stringify(customerId.slice(0, 80))}: ${CUSTOMER_ID_NOT_TEXT}`);
  return customerId;
}
