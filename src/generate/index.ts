/**
 * The synthetic storefront: churnkit's default data, with a known answer key
 * (see docs/generator.md for the generative story).
 *
 * @example
 * const store = createStorefront({ customers: 1_000, days: 180, seed: 7 });
 * for (const event of store.events()) ingest(event);
 * const truth = store.truth();
 */
export { createStorefront, generateEvents, type Storefront } from './generate-events.js';
export type { CustomerTruth } from './storefront-simulation.js';
export type { StorefrontOptions } from './storefront-options.js';
