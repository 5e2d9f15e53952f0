/**
 * `npm run build:package`: links what tsc compiled into the files the package exports
 * (dist/bundle/), with esbuild, minified, each beside its source map.
 *
 * Why: importing the core as tsc leaves it meant loading some 70 modules, each resolved, read
 * and compiled on its own: most of a storefront's boot in Node, and some 45 requests for a page
 * importing it by URL. Loading a module costs about as much as parsing its code, so the core
 * must come in very few files. One esbuild build with code splitting over every entry still
 * cut it into a dozen chunks (one per combination of entries sharing code).
 *
 * So the core is one file, `internal.js`: every module `churnkit` reaches, re-exported with
 * the core modules the other entries import. `index.js` (`churnkit`) re-exports its public
 * names, and `models.js` (`churnkit/models`) imports it beside itself: none of them needs
 * package resolution, so a page imports them by URL. The other entries are bundled together,
 * splitting among themselves, with each import of a core module rewritten to the package's
 * private import `#core` (package.json `imports`, resolved by Node, Deno, Bun and bundlers
 * alike), which names `internal.js`. A class stays one class: `ModelFormatError` thrown by
 * `churnkit/express` is the one a user imports from `churnkit`.
 *
 * Every package is left outside (`import 'zod'` stays an import): the package's dependencies
 * are resolved by the user's installation, and the build fails if a package's code got in, or
 * a core module got copied outside `internal.js`. Types are tsc's `.d.ts` files beside the
 * compiled sources; package.json's `exports` pairs each bundle with them (test/package checks
 * the pairs, and that the core loads in two files).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { repoRoot } from '../bench/repo-root.js';
import { ChurnkitError } from '../src/errors.js';
import { CORE_IMPORT, PACKAGE_ENTRIES, WORKER_ENTRIES } from './package-entries.js';

const root = repoRoot();
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');
const compiled = (entry: { compiled: string }) => join(dist, `${entry.compiled}.js`);
const entries = Object.values(PACKAGE_ENTRIES);
const neutral = entries.filter((entry) => entry.neutral);
const coreSlices = entries.filter((entry) => entry.coreSlice);
const others = [...entries.filter((entry) => !entry.neutral), ...WORKER_ENTRIES];

const shared = {
  bundle: true,
  format: 'esm',
  // Neutral: nothing is assumed about the runtime; Node built-ins are imports like any package.
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  minify: true,
  // Lines of at most about 200 characters: an uncaught error shows the line it was thrown from,
  // and a whole minified chunk on one line (58,000 characters) buried a misspelt option's
  // message under screens of code. A newline costs what the space it replaces would.
  lineLimit: 200,
  // The maps point at the compiled modules the tarball ships beside the bundles.
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  // The bundles are what Node, Deno, Bun and pages importing by URL load (Workers and bundled
  // pages take dist/src under their own conditions): under `node`, `#native-base64` adds
  // Node's `Buffer` (where there is one) and `#zod-jitless` lets zod compile its validators.
  conditions: ['node'],
} satisfies BuildOptions;

rmSync(outdir, { recursive: true, force: true });
const { graph, lazy } = await importGraph();
const coreIndex = compiled(PACKAGE_ENTRIES['.']!);
const core = reachable(graph, coreIndex);
for (const entry of neutral) {
  const outside = [...reachable(graph, compiled(entry))].filter((module) => module !== compiled(entry) && !core.has(module));
  if (outside.length > 0) throw new ChurnkitError('PACKAGE_BUNDLE', `the neutral entry ${entry.compiled} reaches modules outside the core: ${outside.map(fromRoot).join(', ')}`);
}
// The core modules the other entries import (statically or lazily): `internal` re-exports them beside the public API.
const slices = new Set(coreSlices.map(compiled));
const usedOutside = [...new Set([...graph, ...lazy].flatMap(([importer, imported]) => (core.has(importer) || slices.has(importer) ? [] : imported.filter((module) => core.has(module)))))];
const reexported = [coreIndex, ...usedOutside.filter((module) => module !== coreIndex).sort()];

const internal = await build({
  ...shared,
  // A core slice (`churnkit/engine`) is built beside it: the code they share goes into a chunk both import, so the slice loads without the rest of the core and its classes stay the core's.
  entryPoints: [{ in: 'churnkit:internal', out: 'internal' }, ...coreSlices.map((entry) => ({ in: compiled(entry), out: entry.bundle }))],
  outdir,
  splitting: true,
  chunkNames: 'core-[hash]',
  plugins: [virtualModule('churnkit:internal', reexported.map((module) => `export * from ${JSON.stringify(module)};`).join('\n'))],
});
const internalExports = new Set(Object.values(internal.metafile.outputs).find((output) => output.entryPoint === 'virtual:churnkit:internal')!.exports);
const publicNames = await exportsOf(coreIndex, true);
for (const module of reexported) {
  const missing = (module === coreIndex ? publicNames : await exportsOf(module, false)).filter((name) => !internalExports.has(name));
  // `export *` silently drops a name two modules export as different bindings: refuse to ship an entry that would fail to link.
  if (missing.length > 0) throw new ChurnkitError('PACKAGE_BUNDLE', `internal does not re-export ${missing.join(', ')} of ${fromRoot(module)} (another core module exports the same name)`);
}
// `churnkit` is the public names of internal; `churnkit/models` imports it beside itself (no package resolution: a page imports both by URL).
writeFileSync(join(outdir, 'index.js'), `export { ${publicNames.join(', ')} } from './internal.js';\n`);
const models = await build({
  ...shared,
  entryPoints: neutral.filter((entry) => entry !== PACKAGE_ENTRIES['.'] && !entry.coreSlice).map((entry) => ({ in: compiled(entry), out: entry.bundle })),
  outdir,
  plugins: [coreAs(core, './internal.js')],
});
const rest = await build({
  ...shared,
  entryPoints: others.map((entry) => ({ in: compiled(entry), out: entry.bundle })),
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [coreAs(core, CORE_IMPORT)],
});

for (const worker of WORKER_ENTRIES) {
  const starter = readFileSync(join(outdir, `${worker.startedBy}.js`), 'utf8');
  if (!starter.includes(`"./${basename(worker.bundle)}.js"`)) {
    throw new ChurnkitError('PACKAGE_BUNDLE', `${worker.startedBy}.js must start ./${basename(worker.bundle)}.js (its code went into a shared chunk, or the worker was renamed)`);
  }
}

const metafiles = [internal.metafile, models.metafile, rest.metafile];
const packaged = metafiles.flatMap((metafile) => Object.keys(metafile.inputs)).filter((input) => input.includes('node_modules/'));
if (packaged.length > 0) throw new ChurnkitError('PACKAGE_BUNDLE', `the package bundle must leave packages outside, but it holds ${packaged.join(', ')}`);
const copied = [models.metafile, rest.metafile].flatMap((metafile) => Object.keys(metafile.inputs)).map((input) => join(root, input)).filter((input) => core.has(input));
if (copied.length > 0) throw new ChurnkitError('PACKAGE_BUNDLE', `core modules were copied outside internal.js: ${copied.map(fromRoot).join(', ')}`);
const outputs = metafiles.flatMap((metafile) => Object.keys(metafile.outputs)).filter((output) => output.endsWith('.js'));
const chunks = outputs.filter((output) => output.includes('/chunks/')).length;
const coreBytes = Object.entries(internal.metafile.outputs).filter(([output]) => output.endsWith('.js') && !coreSlices.some((entry) => output.endsWith(`/${entry.bundle}.js`))).reduce((sum, [, output]) => sum + output.bytes, 0);
process.stdout.write(`bundled the core into dist/bundle/internal.js and the chunk it shares with ${coreSlices.map((entry) => entry.bundle).join(', ')} (${Math.round(coreBytes / 1024)} KB), ${entries.length} package entries and ${chunks} chunks they share\n`);

/** The names a compiled module exports; with `bundle`, those it re-exports with `export *` too. */
async function exportsOf(module: string, bundle: boolean): Promise<string[]> {
  const { metafile } = await build({ entryPoints: [module], bundle, packages: 'external', write: false, format: 'esm', metafile: true, logLevel: 'silent', outdir });
  return Object.values(metafile.outputs).find((output) => output.entryPoint)!.exports;
}

/** Compiled module → the compiled modules it imports statically (`graph`) and through `import()` (`lazy`), over every entry (a dry run). */
async function importGraph(): Promise<{ graph: Map<string, string[]>; lazy: Map<string, string[]> }> {
  const { metafile } = await build({ ...shared, entryPoints: [...entries, ...WORKER_ENTRIES].map(compiled), outdir, splitting: true, write: false, minify: false, sourcemap: false });
  const edges = (kind: string) => new Map(Object.entries(metafile.inputs).map(([input, { imports }]) => [
    join(root, input),
    imports.filter((edge) => !edge.external && edge.kind === kind).map((edge) => join(root, edge.path)),
  ]));
  return { graph: edges('import-statement'), lazy: edges('dynamic-import') };
}

function reachable(imports: Map<string, string[]>, from: string, seen = new Set<string>()): Set<string> {
  if (seen.has(from)) return seen;
  seen.add(from);
  for (const next of imports.get(from) ?? []) reachable(imports, next, seen);
  return seen;
}

function virtualModule(name: string, contents: string): Plugin {
  return {
    name: 'virtual-module',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: new RegExp(`^${name}$`) }, () => ({ path: name, namespace: 'virtual' }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({ contents, resolveDir: root, loader: 'js' }));
    },
  };
}

/** Imports of a core module become imports of internal.js (as `specifier`), so every entry shares the core's classes and state. */
function coreAs(coreModules: ReadonlySet<string>, specifier: string): Plugin {
  return {
    name: 'core-as-internal',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const path = join(args.resolveDir, args.path);
        return coreModules.has(path) ? { path: specifier, external: true } : undefined;
      });
    },
  };
}

function fromRoot(path: string): string {
  return relative(root, path);
}
