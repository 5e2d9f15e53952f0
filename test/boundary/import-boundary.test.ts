/**
 * The Node / runtime-neutral boundary, checked on the import graph rather than trusted:
 * - the core (`churnkit`) and `churnkit/models` reach no Node built-in and no package at all,
 *   so they run in workerd, Deno, Bun and browsers;
 * - `churnkit/node` reaches Node built-ins only; `churnkit/express` none of the CLI's bundled
 *   packages (they are devDependencies: a user's install does not have them);
 * - by name: outside `src/node/`, `src/cli/` and files named `*.node.ts`, no file of `src/`
 *   imports a Node built-in or a Node-only package, so a glance at the tree shows the boundary;
 * - a bundle of the core holds no code from express, SQLite, Redis, arquero or zod, and no
 *   run-time code generation.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const NODE_ONLY_PACKAGES = ['express', 'better-sqlite3', 'redis', 'prom-client', 'arquero', 'csv-parse', 'commander', 'cli-progress', 'zod'];
const CLI_BUNDLED_PACKAGES = ['arquero', 'csv-parse', 'commander', 'cli-progress'];

interface ImportEdge {
  importer: string;
  specifier: string;
}

/**
 * Every import leaving the project's own files, reached from `entry` (type-only imports are
 * erased and so not followed). The package's own `#` imports are followed, under `conditions`.
 */
async function externalImports(entry: string, conditions: string[] = []): Promise<ImportEdge[]> {
  const edges: ImportEdge[] = [];
  const recordExternals: Plugin = {
    name: 'record-externals',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^[^./#]/ }, (args) => {
        edges.push({ importer: relative(root, args.importer), specifier: args.path });
        return { path: args.path, external: true };
      });
    },
  };
  await build({ entryPoints: [join(root, entry)], bundle: true, write: false, format: 'esm', platform: 'neutral', conditions, plugins: [recordExternals], logLevel: 'silent' });
  return edges;
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

describe('the runtime-neutral entries import nothing from outside the package', () => {
  it.each(['src/index.ts', 'dist/models/index.js', 'wasm/simd.js', 'wasm/scalar.js'])('%s reaches no Node built-in and no package, under the default conditions and under "node"', async (entry) => {
    for (const conditions of [[], ['node']]) {
      const edges = await externalImports(entry, conditions);
      expect(edges.map((edge) => `${edge.importer} imports ${edge.specifier}`), conditions.join()).toEqual([]);
    }
  });
});

describe('the Node-side entries', () => {
  it('churnkit/node reaches Node built-ins only', async () => {
    const edges = await externalImports('src/node/index.ts');
    expect(edges.filter((edge) => !isNodeBuiltin(edge.specifier)).map((edge) => `${edge.importer} imports ${edge.specifier}`)).toEqual([]);
    expect(edges.length).toBeGreaterThan(0);
  });

  it('churnkit/express reaches none of the packages only the bundled CLI uses', async () => {
    const edges = await externalImports('plugin/express/index.ts');
    const offending = edges.filter((edge) => CLI_BUNDLED_PACKAGES.includes(packageOf(edge.specifier)));
    expect(offending.map((edge) => `${edge.importer} imports ${edge.specifier}`)).toEqual([]);
  });
});

describe('the boundary is visible in the tree', () => {
  const sourceFiles = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
    });
  const nodeSide = (file: string) => /^src\/(node|cli)\//.test(file) || file.endsWith('.node.ts');

  it('outside src/node/, src/cli/ and *.node.ts files, no source file imports a Node built-in or a Node-only package', () => {
    const offending: string[] = [];
    for (const path of sourceFiles(join(root, 'src'))) {
      const file = relative(root, path);
      if (nodeSide(file)) continue;
      const runtimeImports = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(import|export) type\b/.test(line))
        .flatMap((line) => [...line.matchAll(/(?:from\s+|import\s*\(\s*|^\s*import\s+)'([^'.][^']*)'/g)].map((match) => match[1]!));
      for (const specifier of runtimeImports) {
        if (isNodeBuiltin(specifier) || NODE_ONLY_PACKAGES.includes(packageOf(specifier))) offending.push(`${file} imports ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the Node-side files named for it are really Node-side (each imports a Node built-in, a Node-only package or another Node-side file)', () => {
    const named = sourceFiles(join(root, 'src')).map((path) => relative(root, path)).filter((file) => file.endsWith('.node.ts'));
    expect(named.length).toBeGreaterThan(0);
    for (const file of named) {
      const text = readFileSync(join(root, file), 'utf8');
      // Another Node-side file: a *.node.ts, or one in src/node/ (reached as '../node/…').
      expect(text, file).toMatch(new RegExp(`from '(node:|${NODE_ONLY_PACKAGES.join('|')}|[^']*\\.node\\.js'|[^']*/node/[^']*\\.js')`));
    }
  });
});

describe('a bundle of the core', () => {
  it('holds only the package\'s own neutral code: no express, SQLite, Redis, arquero or zod, and no code generation', async () => {
    const result = await build({
      entryPoints: [join(root, 'src/index.ts')],
      bundle: true,
      write: false,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys((result.metafile as Metafile).inputs);
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
    const code = result.outputFiles[0]!.text;
    for (const marker of ['better-sqlite3', 'express', 'redis', 'arquero', 'zod', 'prom-client']) expect(code).not.toContain(marker);
    expect(code).not.toMatch(/new Function\s*\(|\beval\s*\(/);
  });
});
