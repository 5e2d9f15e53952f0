import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OptionsError } from '../../src/errors.js';
import { loadEngine as loadEngineCore } from '../../src/engine/load-engine.js';
import { supportsWasmSimd } from '../../src/engine/simd-support.js';
import { createJsEngine, kernelFiles, loadEngine } from '../../src/node/index.js';
import { LOGISTIC_REGRESSION } from './fixtures.js';
import { SCALAR_WASM, SIMD_WASM } from './kernels.js';

describe('loadEngine (runtime-neutral core)', () => {
  it('throws an EngineError saying why when no kernel is given, instead of quietly running slower', async () => {
    await expect(loadEngineCore()).rejects.toMatchObject({ name: 'EngineError', code: 'ENGINE_UNAVAILABLE', message: /no kernel was given/ });
  });

  it("falls back to the TypeScript engine only when it is handed over, and says why", async () => {
    const engine = await loadEngineCore({ fallback: createJsEngine });
    expect(engine.kind).toBe('js');
    expect(engine.fallbackReason).toMatch(/no kernel was given/);
  });

  it('names both ways to ask for the fallback when no kernel loads', async () => {
    await expect(loadEngineCore()).rejects.toThrow(/pass fallback: 'js' to churnkit\/node or a plugin, fallback: createJsEngine here/);
  });

  it('rejects unknown option values with OptionsError naming the option', async () => {
    await expect(loadEngineCore({ simd: 'yes' as never })).rejects.toThrow(/option "simd"/);
    await expect(loadEngineCore({ fallback: 'wasm' as never })).rejects.toThrow(OptionsError);
  });

  it("refuses fallback: 'js', which only churnkit/node and the plugins resolve, saying what to pass instead", async () => {
    await expect(loadEngineCore({ fallback: 'js' })).rejects.toMatchObject({ name: 'OptionsError', code: 'ENGINE_OPTIONS', message: /createJsEngine from 'churnkit'; 'js' is for churnkit\/node/ });
  });

  it("takes fallback: 'js' in churnkit/node, where the TypeScript engine costs nothing to import", async () => {
    expect((await loadEngine({ kernel: new Uint8Array([1, 2, 3, 4]), fallback: 'js' })).kind).toBe('js');
  });

  it('throws with the compile error when the bytes are not a WebAssembly module, or falls back when asked', async () => {
    const garbage = new Uint8Array([1, 2, 3, 4]);
    await expect(loadEngineCore({ kernel: garbage })).rejects.toThrow(/SIMD kernel failed to compile/);
    expect((await loadEngineCore({ kernel: garbage, fallback: createJsEngine })).kind).toBe('js');
  });

  it('keeps the compile error as the cause, and names the scalar kernel when that is the one that failed', async () => {
    const garbage = new Uint8Array([1, 2, 3, 4]);
    await expect(loadEngineCore({ kernel: garbage })).rejects.toMatchObject({ cause: expect.any(WebAssembly.CompileError) });
    await expect(loadEngineCore({ scalarKernel: garbage, simd: false })).rejects.toThrow(/the scalar kernel failed to compile/);
  });

  it('detects SIMD on this Node (every Node >= 16.4 has it)', () => {
    expect(supportsWasmSimd()).toBe(true);
  });
});

describe('loadEngine picks the kernel build', () => {
  const bytes = new Uint8Array(readFileSync(SIMD_WASM));
  const scalarBytes = new Uint8Array(readFileSync(SCALAR_WASM));

  it('uses SIMD when available, the scalar build with simd: false, and accepts precompiled modules', async () => {
    expect((await loadEngineCore({ kernel: bytes, scalarKernel: scalarBytes })).kind).toBe('wasm-simd');
    expect((await loadEngineCore({ kernel: bytes, scalarKernel: scalarBytes, simd: false })).kind).toBe('wasm-scalar');
    expect((await loadEngineCore({ scalarKernel: new WebAssembly.Module(scalarBytes) })).kind).toBe('wasm-scalar');
    expect((await loadEngineCore({ kernel: new WebAssembly.Module(bytes), simd: true })).kind).toBe('wasm-simd');
  });

  it('still takes the older module / bytes / scalarModule / scalarBytes fields', async () => {
    expect((await loadEngineCore({ bytes, scalarBytes, simd: false })).kind).toBe('wasm-scalar');
    expect((await loadEngineCore({ module: new WebAssembly.Module(bytes) })).kind).toBe('wasm-simd');
    expect((await loadEngineCore({ bytes })).kind).toBe('wasm-simd');
    expect((await loadEngineCore({ scalarModule: new WebAssembly.Module(scalarBytes) })).kind).toBe('wasm-scalar');
  });

  it("with simd: false and only the SIMD kernel, throws naming the missing scalar kernel, or falls back when asked", async () => {
    await expect(loadEngineCore({ kernel: bytes, simd: false })).rejects.toThrow(/no scalar kernel/);
    expect((await loadEngineCore({ kernel: bytes, simd: false, fallback: createJsEngine })).kind).toBe('js');
  });

  it('compiles a fetch Response, streaming when it is served as application/wasm, and from its bytes otherwise', async () => {
    const streamed = new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
    expect((await loadEngineCore({ kernel: streamed })).kind).toBe('wasm-simd');
    const untyped = new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } });
    expect((await loadEngineCore({ kernel: Promise.resolve(untyped) })).kind).toBe('wasm-simd');
  });

  it('fetches a URL (or its text), and names the URL and status when the server refuses it', async () => {
    const server = createServer((request, response) => {
      if (request.url === '/churnkit.simd.wasm') response.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const engine = await loadEngineCore({ kernel: new URL('/churnkit.simd.wasm', base) });
      expect(engine.kind).toBe('wasm-simd');
      expect(engine.createNetwork(LOGISTIC_REGRESSION).engine).toBe('wasm-simd');
      await expect(loadEngineCore({ kernel: new URL('/missing.wasm', base) })).rejects.toThrow(/could not be fetched .*missing\.wasm answered HTTP 404/);
      // A path as text, as a page would write it: fetched as a URL is.
      expect((await loadEngineCore({ kernel: `${base}/churnkit.simd.wasm` })).kind).toBe('wasm-simd');
      await expect(loadEngineCore({ kernel: `${base}/missing.wasm` })).rejects.toThrow(/missing\.wasm answered HTTP 404/);
      await expect(loadEngineCore({ kernel: '/churnkit.simd.wasm' })).rejects.toThrow(/\/churnkit\.simd\.wasm failed: /);
    } finally {
      server.close();
    }
  });

  describe('on a runtime without WebAssembly SIMD', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('uses the scalar kernel, and says why when only the SIMD kernel was given or SIMD was required', async () => {
      vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
      expect((await loadEngineCore({ kernel: bytes, scalarKernel: scalarBytes })).kind).toBe('wasm-scalar');
      await expect(loadEngineCore({ kernel: bytes })).rejects.toThrow(/SIMD kernel cannot be used here \(this runtime has no WebAssembly SIMD\) and no scalar kernel/);
      await expect(loadEngineCore({ kernel: bytes, scalarKernel: scalarBytes, simd: true })).rejects.toThrow(/simd: true was asked for, but this runtime does not support/);
    });
  });

  describe('on a runtime that refuses to compile WebAssembly at run time', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it.each([
      'WebAssembly.compile(): Wasm code generation disallowed by embedder',
      "Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script",
    ])('says to hand over a compiled module instead: %s', async (refusal) => {
      vi.spyOn(WebAssembly, 'compile').mockRejectedValue(new Error(refusal));
      await expect(loadEngineCore({ kernel: bytes })).rejects.toThrow(/only runs WebAssembly it was given as a module \(Cloudflare Workers: import kernel from 'churnkit\/wasm\/simd'\)/);
    });
  });

  it('the Node loader finds build/*.wasm from the package root', async () => {
    const engine = await loadEngine();
    expect(engine.kind).toBe('wasm-simd');
    const network = engine.createNetwork(LOGISTIC_REGRESSION);
    expect(network.engine).toBe('wasm-simd');
    expect((await loadEngine({ simd: false })).kind).toBe('wasm-scalar');
    expect(createJsEngine().kind).toBe('js');
  });

  it('the Node loader names both kernel files in kernelFiles(), beside the package.json', () => {
    const files = kernelFiles();
    expect(files.simd).toBe(SIMD_WASM);
    expect(files.scalar).toBe(SCALAR_WASM);
  });

  it('rejects a shape whose last layer is not the single sigmoid unit', async () => {
    const engine = await loadEngine();
    expect(() => engine.createNetwork({ inputs: 3, layers: [{ units: 2, activation: 'relu' }] })).toThrow(/last layer must be/);
    expect(() => createJsEngine().createNetwork({ inputs: 0, layers: [{ units: 1, activation: 'sigmoid' }] })).toThrow(OptionsError);
  });
});
