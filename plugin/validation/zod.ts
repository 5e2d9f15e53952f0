/**
 * The plugin's zod, switched to its interpreter before any schema is built. zod 4 otherwise
 * compiles object validators with `new Function`, and merely probing for that is reported
 * as a violation by a page whose Content-Security-Policy has no `unsafe-eval` (Workers
 * refuse it outright). Every plugin module imports `z` from here, so the switch is made
 * before the first schema exists, whichever entry point is loaded.
 *
 * `z.config` is zod's global setting: other schemas built with the same copy of zod run
 * on the interpreter too (same answers, somewhat slower to parse).
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
