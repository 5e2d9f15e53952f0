/**
 * `npm run build:kernels`: writes what `churnkit/wasm/simd` and `churnkit/wasm/scalar` give
 * Node, Bun and Deno: each kernel build's bytes inline, as base64.
 * - Node and Bun (dist/wasm/*.node.js) decode it with the global `Buffer`. Reading build/*.wasm
 *   beside the module instead meant importing `node:fs`, and that import alone cost about 2.5 ms
 *   of a 21 ms kernel-only cold start here (a module with the bytes inline imports in about
 *   1.2 ms, the file-reading one in 5.3 ms).
 * - Deno (dist/wasm/*.inline.js) with the standard `Uint8Array.fromBase64` (`atob` where a
 *   runtime lacks it). Given the .wasm file's URL, `loadEngine` spent 16-19 ms of Deno's first
 *   score fetching a `file:` URL; inline, the kernel is ready in 2.5-5.6 ms.
 * Browsers and workerd keep the .wasm file (a URL, or a module workerd compiles).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../bench/repo-root.js';

const root = repoRoot();
const out = join(root, 'dist', 'wasm');
mkdirSync(out, { recursive: true });
const GENERATED = (build: string) => `// Generated from build/churnkit.${build}.wasm by scripts/embed-kernels.ts (npm run build): do not edit.`;
for (const build of ['simd', 'scalar']) {
  const base64 = readFileSync(join(root, 'build', `churnkit.${build}.wasm`)).toString('base64');
  const files = {
    node: `${GENERATED(build)}
/** The ${build} kernel in Node and Bun: its bytes, inline; \`loadEngine\` compiles them only if this build is used. */
export default new Uint8Array(Buffer.from('${base64}', 'base64'));
`,
    inline: `${GENERATED(build)}
/** The ${build} kernel in Deno: its bytes, inline; \`loadEngine\` compiles them only if this build is used. */
const base64 = '${base64}';
export default Uint8Array.fromBase64 ? Uint8Array.fromBase64(base64) : Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
`,
  };
  for (const [form, text] of Object.entries(files)) {
    const file = join(out, `${build}.${form}.js`);
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file} (${((base64.length * 3) / 4 / 1024).toFixed(1)} KB of ${build} kernel)\n`);
  }
}
