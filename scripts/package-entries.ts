/**
 * The package's entry points as built: each file under dist/bundle/ (what package.json's
 * `exports` names) and the compiled module under dist/ it is bundled from, whose `.d.ts`
 * gives its types. `neutral` entries are the runtime-neutral core, bundled on their own so that
 * they load in a few files and need no package resolution (a page imports them by URL); the
 * others import the core's modules through the package's private `#core` import.
 * scripts/bundle-package.ts builds from this table; test/package checks that `exports` agrees.
 */
export interface PackageEntry {
  readonly bundle: string;
  readonly compiled: string;
  readonly neutral: boolean;
  /** Built with the core, sharing a chunk of it: an entry whose modules are all core modules, loaded without the rest. */
  readonly coreSlice?: boolean;
}

export const PACKAGE_ENTRIES: Readonly<Record<string, PackageEntry>> = {
  '.': { bundle: 'index', compiled: 'src/index', neutral: true },
  './engine': { bundle: 'engine', compiled: 'src/engine/index', neutral: true, coreSlice: true },
  './models': { bundle: 'models', compiled: 'models/index', neutral: true },
  './node': { bundle: 'node', compiled: 'src/node/index', neutral: false },
  './report': { bundle: 'report', compiled: 'src/report/index', neutral: false },
  './tune': { bundle: 'tune', compiled: 'src/tune/index', neutral: false },
  './express': { bundle: 'express', compiled: 'plugin/express/index', neutral: false },
  './fetch': { bundle: 'fetch', compiled: 'plugin/fetch/index', neutral: false },
  './hono': { bundle: 'hono', compiled: 'plugin/hono/index', neutral: false },
  './stores/memory': { bundle: 'stores/memory', compiled: 'plugin/store/memory-store', neutral: false },
  './stores/sqlite': { bundle: 'stores/sqlite', compiled: 'plugin/store/sqlite-store', neutral: false },
  './stores/redis': { bundle: 'stores/redis', compiled: 'plugin/store/redis-store', neutral: false },
  './stores/cloudflare': { bundle: 'stores/cloudflare', compiled: 'plugin/store/cloudflare/index', neutral: false },
};

/** The package.json `imports` key through which the other entries reach the core's modules. */
export const CORE_IMPORT = '#core';

/**
 * Modules the bundles start as worker threads, not exported: each is bundled beside the entry
 * whose code starts it (`new URL('./<file>.js', import.meta.url)`), which the build checks.
 */
export const WORKER_ENTRIES: readonly { readonly bundle: string; readonly compiled: string; readonly startedBy: string }[] = [
  { bundle: 'stores/sqlite-write-worker', compiled: 'plugin/store/sqlite-write-worker', startedBy: 'stores/sqlite' },
];
