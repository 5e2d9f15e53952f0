/**
 * How large an event's number (`value`, `quantity`, `rating`) may be. Far beyond any real
 * order, in any currency, yet small enough that a customer's sums over any number of events
 * stay finite: two values of 1e308 would add up to Infinity, and one such event would leave
 * the customer's features infinite and every later training or retraining refusing them.
 * The readers and the HTTP routes refuse a number beyond it, naming the field; the feature
 * code, given one directly, takes it as missing, as it takes a non-finite one.
 */
export const EVENT_AMOUNT_LIMIT = 1e12;

/** What every refusal of such a number says was expected. */
export const EXPECTED_AMOUNT = `expected a number within ±${EVENT_AMOUNT_LIMIT.toExponential()}`;

/** Whether an event's number counts: present, finite and within ±EVENT_AMOUNT_LIMIT. */
export function isUsableAmount(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && Math.abs(value) <= EVENT_AMOUNT_LIMIT;
}
