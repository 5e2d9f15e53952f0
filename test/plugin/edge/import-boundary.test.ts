/**
 * The boundary between the runtime-neutral serving code and its Node-only edges, checked
 * on the built files the package exports: everything each neutral entry can load (static
 * and dynamic imports, followed through every file), and what importing churnkit/express
 * actually loads in a fresh Node process.
 */
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO } from './example-project.js';

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Every file and external module the entry can import, statically or through `import()`. */
async function reachableImports(entry: string): Promise<{ files: string[]; externals: string[] }> {
  const result = await build({ entryPoints: [join(REPO, entry)], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', logLevel: 'silent' });
  const inputs: Metafile['inputs'] = result.metafile.inputs;
  const files = new Set<string>();
  const externals = new Set<string>();
  const pending = [Object.keys(inputs).find((path) => join(REPO, path) === join(REPO, entry))!];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const imported of inputs[file]?.imports ?? []) {
      if (imported.external) externals.add(imported.path);
      else pending.push(imported.path);
    }
  }
  return { files: [...files], externals: [...externals] };
}

const NODE_ONLY_PACKAGES = /node_modules\/(express|body-parser|prom-client|better-sqlite3|redis|@redis)\//;

describe.each(['dist/plugin/fetch/index.js', 'dist/plugin/hono/index.js', 'dist/plugin/store/cloudflare/index.js', 'dist/plugin/store/memory-store.js'])(
  'the runtime-neutral entry %s',
  (entry) => {
    it('imports no Node built-in, and none of express, prom-client, better-sqlite3 or redis', async () => {
      const { files, externals } = await reachableImports(entry);
      expect(files.length).toBeGreaterThan(1);
      expect(externals.filter((name) => NODE_BUILTINS.has(name))).toEqual([]);
      expect(files.filter((file) => NODE_ONLY_PACKAGES.test(file) || /plugin\/(express|demo)\//.test(file))).toEqual([]);
    });
  },
);

describe('churnkit/express', () => {
  it('loads neither store adapter nor their drivers at import: the default SQLite store is imported when opened', () => {
    // CommonJS packages imported from ESM still land in require.cache: the list of what was loaded.
    const script = `import { createRequire } from 'node:module';
      await import('churnkit/express');
      console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' })) as string[];
    expect(loaded.filter((file) => /node_modules\/(better-sqlite3|redis|@redis)\//.test(file))).toEqual([]);
    // ...while express and prom-client, what it is for, are.
    expect(loaded.some((file) => file.includes('node_modules/express/'))).toBe(true);
    expect(loaded.some((file) => file.includes('node_modules/prom-client/'))).toBe(true);
  });
});
