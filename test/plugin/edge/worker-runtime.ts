/**
 * Running a Worker in workerd through miniflare, the way `wrangler deploy` would ship it:
 * the entry bundled by esbuild, with every `.wasm` file it imports kept as a separate
 * `CompiledWasm` module (so the Worker receives a `WebAssembly.Module`; workerd refuses to
 * compile wasm bytes at run time). Listens on a free loopback port; nothing is downloaded
 * (`cf: false` keeps miniflare from fetching its request.cf data).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { Miniflare, type MiniflareOptions } from 'miniflare';

type ModuleDefinition = { type: 'ESModule' | 'CompiledWasm'; path: string; contents: string | Uint8Array };

/** Bundles `entry` into the modules of one Worker. */
export async function bundleWorker(entry: string): Promise<ModuleDefinition[]> {
  const wasm: ModuleDefinition[] = [];
  const wasmModules: Plugin = {
    name: 'compiled-wasm',
    setup(builder) {
      builder.onResolve({ filter: /wasm/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const resolved = await builder.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
        if (!resolved.path.endsWith('.wasm')) return resolved;
        const path = basename(resolved.path);
        if (!wasm.some((module) => module.path === path)) wasm.push({ type: 'CompiledWasm', path, contents: readFileSync(resolved.path) });
        return { path: `./${path}`, external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [wasmModules],
  });
  return [{ type: 'ESModule', path: 'worker.js', contents: result.outputFiles[0]!.text }, ...wasm];
}

export interface RunningWorker {
  url: URL;
  miniflare: Miniflare;
  stop(): Promise<void>;
}

/** Starts workerd with `modules` and the given bindings, on 127.0.0.1 and a free port. */
export async function startWorker(modules: ModuleDefinition[], options: Partial<MiniflareOptions> = {}): Promise<RunningWorker> {
  const miniflare = new Miniflare({
    modules,
    compatibilityDate: '2026-04-01',
    cf: false,
    host: '127.0.0.1',
    port: 0,
    ...options,
  } as MiniflareOptions);
  const url = await miniflare.ready;
  return { url, miniflare, stop: () => miniflare.dispose() };
}
