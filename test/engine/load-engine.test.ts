import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EngineError, OptionsError } from '../../src/errors.js';
import { loadEngine as loadEngineCore } from '../../src/engine/load-engine.js';
import { supportsWasmSimd } from '../../src/engine/simd-support.js';
import { createJsEngine, loadEngine } from '../../src/node/index.js';
import { LOGISTIC_REGRESSION } from './fixtures.js';
import { KERNELS_BUILT, NOT_BUILT_MESSAGE, SCALAR_WASM, SIMD_WASM } from './kernels.js';

describe('loadEngine (runtime-neutral core)', () => {
  it('falls back to the TypeScript engine when no kernel is given', async () => {
    expect((await loadEngineCore()).kind).toBe('js');
  });

  it("throws EngineError with fallback: 'error' when no kernel is given", async () => {
    await expect(loadEngineCore({ fallback: 'error' })).rejects.toThrow(EngineError);
  });

  it('rejects unknown option values with OptionsError naming the option', async () => {
    await expect(loadEngineCore({ simd: 'yes' as never })).rejects.toThrow(/option "simd"/);
    await expect(loadEngineCore({ fallback: 'wasm' as never })).rejects.toThrow(OptionsError);
  });

  it('falls back, or throws with the compile error, when the bytes are not a WebAssembly module', async () => {
    const garbage = new Uint8Array([1, 2, 3, 4]);
    expect((await loadEngineCore({ bytes: garbage })).kind).toBe('js');
    await expect(loadEngineCore({ bytes: garbage, fallback: 'error' })).rejects.toThrow(/failed to compile/);
  });

  it('detects SIMD on this Node (every Node >= 16.4 has it)', () => {
    expect(supportsWasmSimd()).toBe(true);
  });
});

describe.skipIf(!KERNELS_BUILT)(`loadEngine picks the kernel build (${KERNELS_BUILT ? 'built' : NOT_BUILT_MESSAGE})`, () => {
  const bytes = new Uint8Array(readFileSync(SIMD_WASM));
  const scalarBytes = new Uint8Array(readFileSync(SCALAR_WASM));

  it('uses SIMD when available, the scalar build with simd: false, and accepts precompiled modules', async () => {
    expect((await loadEngineCore({ bytes, scalarBytes })).kind).toBe('wasm-simd');
    expect((await loadEngineCore({ bytes, scalarBytes, simd: false })).kind).toBe('wasm-scalar');
    expect((await loadEngineCore({ scalarModule: new WebAssembly.Module(scalarBytes) })).kind).toBe('wasm-scalar');
    expect((await loadEngineCore({ module: new WebAssembly.Module(bytes), simd: true })).kind).toBe('wasm-simd');
  });

  it("with simd: false and only the SIMD bytes, falls back to 'js' or throws", async () => {
    expect((await loadEngineCore({ bytes, simd: false })).kind).toBe('js');
    await expect(loadEngineCore({ bytes, simd: false, fallback: 'error' })).rejects.toThrow(/no scalar kernel/);
  });

  it('the Node loader finds build/*.wasm from the package root', async () => {
    const engine = await loadEngine();
    expect(engine.kind).toBe('wasm-simd');
    const network = engine.createNetwork(LOGISTIC_REGRESSION);
    expect(network.engine).toBe('wasm-simd');
    expect((await loadEngine({ simd: false })).kind).toBe('wasm-scalar');
    expect(createJsEngine().kind).toBe('js');
  });

  it('rejects a shape whose last layer is not the single sigmoid unit', async () => {
    const engine = await loadEngine();
    expect(() => engine.createNetwork({ inputs: 3, layers: [{ units: 2, activation: 'relu' }] })).toThrow(/last layer must be/);
    expect(() => createJsEngine().createNetwork({ inputs: 0, layers: [{ units: 1, activation: 'sigmoid' }] })).toThrow(OptionsError);
  });
});
