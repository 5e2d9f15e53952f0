/**
 * `npm run build:cli`: bundles the `churnkit` command line (commander, csv-parse, arquero,
 * cli-progress and our own modules) into dist/cli/ with esbuild. The installed package then
 * needs none of them at run time: they are devDependencies, so installing churnkit for its core
 * or its plugin never installs them (arquero alone pulled a dependency the registry lacks).
 * Commands loaded lazily stay lazy: each dynamic import becomes a chunk of its own.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../bench/repo-root.js';

const root = repoRoot();
const outdir = join(root, 'dist', 'cli');
// Chunk names carry hashes: without a clean folder, every build would leave the last one's behind.
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    churnkit: join(root, 'src', 'cli', 'main.ts'),
    // The SQLite store's writer thread (simulate and uplift open the store) starts
    // `./sqlite-write-worker.js` beside the code that starts it: a chunk of this folder.
    'sqlite-write-worker': join(root, 'plugin', 'store', 'sqlite-write-worker.ts'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  metafile: true,
  // The plugin's optional peers stay outside the bundle: better-sqlite3 is a native addon that
  // cannot be bundled, and a command needing one (simulate, uplift) names it if it is missing.
  external: ['better-sqlite3', 'redis', 'express', 'prom-client', 'hono'],
  logLevel: 'warning',
  // CommonJS dependencies (commander, cli-progress) call require() for Node built-ins.
  banner: { js: "import { createRequire as __churnkitRequire } from 'node:module'; const require = __churnkitRequire(import.meta.url);" },
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
writeFileSync(join(root, 'dist', 'cli', 'THIRD-PARTY-LICENSES.txt'), bundledLicenses(Object.keys(result.metafile.inputs)));
// Which sources went into which chunk, outside the published dist/cli/: the tests read it to
// check that a command, and the packages only it uses, load only when that command runs.
writeFileSync(join(root, 'dist', 'cli-bundle.meta.json'), JSON.stringify(result.metafile));
process.stdout.write(`bundled the CLI into dist/cli/ (${Math.round(bytes / 1024)} KB)\n`);

/** The license text of every package whose code went into the bundle, as their licenses ask of a copy. */
function bundledLicenses(inputs: readonly string[]): string {
  const packages = new Set<string>();
  for (const input of inputs) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]!);
  }
  const sections = [...packages].sort().map((name) => {
    const folder = join(root, 'node_modules', name);
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version?: string; license?: string };
    const file = readdirSync(folder).find((entry) => /^(licen[cs]e|copying)/i.test(entry));
    const text = file && existsSync(join(folder, file)) ? readFileSync(join(folder, file), 'utf8').trim() : `License: ${manifest.license ?? 'see the package'}`;
    return `${name}@${manifest.version ?? '?'}\n${'-'.repeat(72)}\n${text}\n`;
  });
  return `The churnkit CLI bundle (dist/cli/) contains code from these packages:\n\n${sections.join('\n')}`;
}
