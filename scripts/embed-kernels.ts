/**
 * `npm run build:kernels`: writes what `churnkit/wasm/simd` and `churnkit/wasm/scalar` give
 * Node and Bun (dist/wasm/*.node.js): each kernel build's bytes inline, as base64 decoded by the
 * runtime's global `Buffer`. Reading build/*.wasm beside the module instead meant importing
 * `node:fs`, and that import alone cost about 2.5 ms of a 21 ms kernel-only cold start here (a
 * module with the bytes inline imports in about 1.2 ms, the file-reading one in 5.3 ms).
 * Browsers, Deno and workerd keep the .wasm file (a URL, or a module workerd compiles).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../bench/repo-root.js';

const root = repoRoot();
const out = join(root, 'dist', 'wasm');
mkdirSync(out, { recursive: true });
for (const build of ['simd', 'scalar']) {
  const bytes = readFileSync(join(root, 'build', `churnkit.${build}.wasm`));
  const file = join(out, `${build}.node.js`);
  writeFileSync(
    file,
    `// Generated from build/churnkit.${build}.wasm by scripts/embed-kernels.ts (npm run build): do not edit.
/** The ${build} kernel in Node and Bun: its bytes, inline; \`loadEngine\` compiles them only if this build is used. */
export default new Uint8Array(Buffer.from('${bytes.toString('base64')}', 'base64'));
`,
  );
  process.stdout.write(`wrote ${file} (${(bytes.length / 1024).toFixed(1)} KB of ${build} kernel)\n`);
}
