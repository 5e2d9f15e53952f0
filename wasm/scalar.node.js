/** The scalar kernel in Node and Bun: its bytes, read beside this module; `loadEngine` compiles them only if this build is used. */
import { readFileSync } from 'node:fs';

export default new Uint8Array(readFileSync(new URL('../build/churnkit.scalar.wasm', import.meta.url)));
