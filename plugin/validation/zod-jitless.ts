/**
 * Whether the plugin's zod must run on its interpreter (the package's `#zod-jitless` import):
 * everywhere but Node, Deno and Bun. zod 4 otherwise compiles object validators with
 * `new Function`, and merely probing for that is reported as a violation by a page whose
 * Content-Security-Policy has no `unsafe-eval` (Workers refuse it outright).
 * `zod-jitless.node.ts` is what those runtimes get.
 */
export const zodJitless = true;
