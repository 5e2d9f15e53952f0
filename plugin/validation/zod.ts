/**
 * The plugin's zod, switched to its interpreter before any schema is built where the runtime
 * forbids compiling code at run time (`#zod-jitless`: pages and Workers, whose
 * Content-Security-Policy reports or refuses the `new Function` zod 4 compiles object
 * validators with). Every plugin module imports `z` from here, so the switch is made before
 * the first schema exists, whichever entry point is loaded.
 *
 * `z.config` is zod's global setting: there, other schemas built with the same copy of zod run
 * on the interpreter too (same answers, somewhat slower to parse). In Node, Deno and Bun it is
 * not touched.
 */
import { z } from 'zod';
import { zodJitless } from '#zod-jitless';

if (zodJitless) z.config({ jitless: true });

export { z };
