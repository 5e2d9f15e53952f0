/**
 * The longest customer id churnkit takes, in characters after trimming: on every route
 * (events, outcomes, erasure, scores) and from the `identify` hook alike, so any customer
 * the plugin decided on can also be given outcomes and erased over HTTP.
 */
export const CUSTOMER_ID_MAX_LENGTH = 200;
