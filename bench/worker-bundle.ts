/**
 * A Worker bundled the way Wrangler bundles one: esbuild with the `workerd`, `worker` and
 * `browser` export conditions, and every `.wasm` import kept as a module of its own, which
 * workerd compiles at load time (a `CompiledWasm` module; Workers refuse run-time compiles);
 * `.bin` imports become `Data` modules (an ArrayBuffer), like Wrangler's Data rule.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

export interface WorkerModules {
  /** Miniflare's `modules` option: the bundled Worker, then each `.wasm` it imports (`.bin` files as data). */
  modules: { type: 'ESModule' | 'CompiledWasm' | 'Data'; path: string; contents: string | Uint8Array }[];
  /** Bytes of the bundled JavaScript (unminified, as Wrangler uploads by default). */
  scriptBytes: number;
}

export async function bundleWorker(folder: string, entry: string): Promise<WorkerModules> {
  const wasmFiles = new Map<string, string>();
  const wasmAsModule: Plugin = {
    name: 'wasm-as-module',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const resolved = await pluginBuild.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
        if (!resolved.path.endsWith('.wasm') && !resolved.path.endsWith('.bin')) return resolved;
        wasmFiles.set(basename(resolved.path), resolved.path);
        return { path: basename(resolved.path), external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [join(folder, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    plugins: [wasmAsModule],
    logLevel: 'silent',
  });
  const script = result.outputFiles[0]!.contents;
  return {
    modules: [
      { type: 'ESModule', path: 'worker.js', contents: script },
      ...[...wasmFiles].map(([name, path]) => ({ type: name.endsWith('.wasm') ? ('CompiledWasm' as const) : ('Data' as const), path: name, contents: readFileSync(path) })),
    ],
    scriptBytes: script.length,
  };
}

/** `compatibility_date` from a wrangler.toml. */
export function compatibilityDate(wranglerToml: string): string {
  const match = /^compatibility_date\s*=\s*"([\d-]+)"/m.exec(wranglerToml);
  if (!match) throw new Error('the wrangler.toml example has no compatibility_date');
  return match[1]!;
}
