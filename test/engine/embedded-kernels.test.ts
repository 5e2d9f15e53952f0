/**
 * What `churnkit/wasm/simd` and `churnkit/wasm/scalar` give Node and Bun: the kernel builds'
 * bytes inline (dist/wasm/*.node.js, written by `npm run build`). They must be exactly the
 * built .wasm files, or Node would score on another kernel than workerd and the browsers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the kernels Node and Bun import', () => {
  it.each(['simd', 'scalar'])('%s: the bytes of build/churnkit.%s.wasm, inline, with no import', async (build) => {
    const file = join(ROOT, 'dist', 'wasm', `${build}.node.js`);
    const { default: kernel } = (await import(file)) as { default: Uint8Array };
    expect(kernel).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(kernel).equals(readFileSync(join(ROOT, 'build', `churnkit.${build}.wasm`)))).toBe(true);
    // Nothing imported: importing node:fs alone cost more than the whole inline module.
    expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*import\b/m);
  });
});
