/**
 * The scalar kernel where it is fetched: browsers, Deno and bundlers (which emit the .wasm as
 * an asset). A URL, so `loadEngine({ kernel })` downloads and compiles only the build it uses.
 */
export default new URL('../build/churnkit.scalar.wasm', import.meta.url);
