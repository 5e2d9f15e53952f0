/**
 * The docs' TypeScript examples, as a TypeScript user meets them: each block marked
 * ```ts file=<name> (docs/errors.md, events.md, report.md, tune.md, plugin.md, lifecycle.md,
 * uplift.md) is written into a folder of the project where the packed package is installed,
 * with only what its ellipses leave to the reader declared above it, and compiled by tsc
 * against the published declarations, strict, with `skipLibCheck: false` (a broken .d.ts in
 * the package is the user's compile error too). The ones that run here are then run with node
 * and must do what their page says. A file importing every entry of package.json's `exports`
 * checks the declarations of the entries no example uses. A ```ts file= block added to any page
 * without an entry here fails, rather than going unchecked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { docPages } from '../docs/doc-pages.js';
import { docExamples } from '../runtimes/doc-examples.js';
import { cleanEnvironment, installedPackage, INSTALL_TIMEOUT_MS, REPO } from './installed-package.js';

interface DocExample {
  page: string;
  file: string;
  /** Declarations of what the example leaves to the reader (a logger, the rows), above it. */
  given: string;
  /** Set for an example with a top-level `return`: its statements become this async function's body, run after it. */
  wrapIn?: string;
  /** After it: what the run prints, for `ran` to check. */
  after?: string;
  /** What its page says it does, checked on node's stdout; absent: compiled only (it needs a server, files or a session). */
  ran?: (stdout: string) => void;
}

/** Rows a user would read from their CSV: churn rises with complaints and falls with tenure (a fixed draw). */
const SYNTHETIC_ROWS = `
function syntheticRows(count: number, seed: number): RawRecord[] {
  let state = seed;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  return Array.from({ length: count }, (_, index) => {
    const Tenure = Math.floor(random() * 40);
    const Complain = random() < 0.3 ? 1 : 0;
    const churnOdds = Math.exp(-1 + 2 * Complain - 0.08 * Tenure);
    return { CustomerID: \`c\${index}\`, Tenure, Complain, CityTier: 1 + Math.floor(random() * 3), Churn: random() < churnOdds / (1 + churnOdds) ? 1 : 0 };
  });
}
`;

/** What plugin.md's and uplift.md's `req.session` presupposes: a session middleware's typing (express-session's, say). */
const SESSION = `
declare module 'express-serve-static-core' {
  interface Request { session?: { customerId?: string; cart?: unknown[] } }
}
`;

const EXAMPLES: DocExample[] = [
  {
    page: 'docs/errors.md',
    file: 'train-or-explain.ts',
    given: `import { loadEngine } from 'churnkit/node';
import type { InputLocation } from 'churnkit';
const engine = await loadEngine();
const rows = [{ Tenure: 3, Churn: 0 }, { Tenure: 30, Churn: 0 }]; // one class only: the label branch
const logger = { warn: (fields: object, message: string) => console.log('warn', JSON.stringify(fields), message) };
const showLabelProblem = (location: InputLocation | undefined, detail: string | undefined) => JSON.stringify({ location, detail });`,
    wrapIn: 'trainOrExplain',
    after: 'console.log(await trainOrExplain());',
    ran: (stdout) => {
      const shown = JSON.parse(stdout) as { location: unknown; detail: string };
      expect(shown.location).toEqual({ column: 'Churn' });
      expect(shown.detail).toMatch(/same label/);
    },
  },
  {
    page: 'docs/events.md',
    file: 'online-features.ts',
    given: '',
    after: `const stored = JSON.parse(JSON.stringify(state)) as typeof state;
console.log(JSON.stringify({ names: FEATURE_NAMES.length, keys: Object.keys(features).length, orders: features.log_orders_total, fromText: featuresAt(stored, Date.now()).log_orders_total }));`,
    ran: (stdout) => expect(JSON.parse(stdout)).toEqual({ names: 47, keys: 47, orders: Math.log1p(1), fromText: Math.log1p(1) }),
  },
  {
    page: 'docs/report.md',
    file: 'report.ts',
    given: `import { writeFile } from 'node:fs/promises';
import { train, type RawRecord } from 'churnkit';
import { loadEngine } from 'churnkit/node';
${SYNTHETIC_ROWS}
const { model } = await train(syntheticRows(300, 1), { engine: await loadEngine(), target: 'Churn', id: 'CustomerID', seed: 7 });
const records = syntheticRows(200, 2);
const labels = records.map((record) => Number(record.Churn));`,
    after: `console.log(JSON.stringify({ rows: data.metrics.rows, target: data.model.target, segments: data.segments.map((segment) => segment.column) }));`,
    ran: (stdout) => expect(JSON.parse(stdout)).toEqual({ rows: 200, target: 'Churn', segments: ['CityTier'] }),
  },
  {
    page: 'docs/tune.md',
    file: 'tune.ts',
    given: `import type { RawRecord } from 'churnkit';
${SYNTHETIC_ROWS}
const rows = syntheticRows(300, 1);`,
    after: `console.log(JSON.stringify({ folds: result.folds, format: file.format, scores: model.predictBatch(rows).length }));`,
    ran: (stdout) => expect(JSON.parse(stdout)).toEqual({ folds: 5, format: 'churnkit-model', scores: 300 }),
  },
  { page: 'docs/plugin.md', file: 'storefront.ts', given: SESSION },
  {
    page: 'docs/plugin.md',
    file: 'express-server.ts',
    given: `import https from 'node:https';
import express from 'express';
const app = express();
declare const key: string, cert: string;`,
  },
  {
    page: 'docs/lifecycle.md',
    file: 'retrain-option.ts',
    given: `import { churn } from 'churnkit/express';
declare const logger: { info(message: string): void; error(fields: object): void };`,
  },
  {
    page: 'docs/uplift.md',
    file: 'log-decisions.ts',
    given: `import { churn } from 'churnkit/express';
declare const actions: { name: string; cost: number; successRate: number }[];
${SESSION}`,
  },
  {
    page: 'docs/uplift.md',
    file: 'serve-uplift.ts',
    given: `import type { Request } from 'express';
declare const identify: (req: Request) => string | null;
declare const actions: { name: string; cost: number; successRate: number }[];`,
  },
];

/** The example's text with what it leaves to the reader: imports first (an import cannot sit in a function). */
function exampleSource(example: DocExample): string {
  const code = docExamples(example.page).get(example.file);
  if (code === undefined) throw new Error(`${example.page} has no code block for ${example.file} (expected \`\`\`ts file=${example.file})`);
  const imports = /^(?:import [\s\S]*?from '[^']+';\n)+/.exec(code)?.[0] ?? '';
  const body = code.slice(imports.length);
  const statements = example.wrapIn === undefined ? body : `async function ${example.wrapIn}() {\n${body}}\n`;
  return `${imports}${example.given}\n${statements}${example.after ?? ''}\n`;
}

type Exports = Record<string, string | { types?: string }>;

/** Imports every entry of package.json's `exports` that has declarations; an entry of code without them is named in the list returned. */
function everyEntry(): { source: string; untyped: string[] } {
  const exportsField = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: Exports }).exports;
  const lines: string[] = [];
  const untyped: string[] = [];
  for (const [subpath, entry] of Object.entries(exportsField)) {
    // Strings are files a user reads, not modules: the .wasm kernels and package.json.
    if (typeof entry === 'string') continue;
    if (entry.types === undefined) untyped.push(subpath);
    lines.push(`export * as entry${lines.length} from '${subpath === '.' ? 'churnkit' : `churnkit${subpath.slice(1)}`}';`);
  }
  return { source: `${lines.join('\n')}\n`, untyped };
}

let folder: string;
let untypedEntries: string[];
/** tsc's errors, by the file they are in as tsc names it (relative to the folder; '' for an error in no file). */
const errors = new Map<string, string[]>();
/** The files this test writes: an error anywhere else is in the package's declarations or in what they import. */
const writtenFiles = new Set([...EXAMPLES.map((example) => example.file), 'every-entry.ts']);

beforeAll(async () => {
  const { project } = await installedPackage();
  folder = join(project, 'docs-typescript');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  // The user's own dev dependencies, at the versions this repository uses: @types/node and
  // @types/express (with what it depends on), beside churnkit, where its declarations find them.
  const types = join(project, 'node_modules', '@types');
  mkdirSync(types, { recursive: true });
  for (const name of readdirSync(join(REPO, 'node_modules', '@types'))) {
    if (!existsSync(join(types, name))) symlinkSync(join(REPO, 'node_modules', '@types', name), join(types, name), 'dir');
  }
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: false, types: ['node'], outDir: 'out' },
    include: ['*.ts'],
  }));
  for (const example of EXAMPLES) writeFileSync(join(folder, example.file), exampleSource(example));
  const entries = everyEntry();
  untypedEntries = entries.untyped;
  writeFileSync(join(folder, 'every-entry.ts'), entries.source);
  const tsc = createRequire(join(REPO, 'package.json')).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', '.', '--pretty', 'false'], { cwd: folder, encoding: 'utf8', timeout: 120_000 });
  if (compiled.status === null) throw new Error(`tsc did not finish: ${compiled.error ?? compiled.signal}`);
  // An error is its first line, located in a file or not (a tsconfig error), and the indented lines that explain it.
  for (const error of compiled.stdout.split(/\n(?! )/).filter((text) => text.trim() !== '')) {
    const file = /^(.+?)\(\d+,\d+\): error /.exec(error)?.[1] ?? '';
    errors.set(file, [...(errors.get(file) ?? []), error.trimEnd()]);
  }
  if (compiled.status !== 0 && errors.size === 0) throw new Error(`tsc failed without an error on stdout:\n${compiled.stderr}`);
}, INSTALL_TIMEOUT_MS);

describe("the docs' TypeScript examples, against the packed package's declarations", () => {
  it("the package's declarations compile for a user who checks them (skipLibCheck: false)", () => {
    // tsc names the package's files from the folder (../node_modules/churnkit/...).
    expect([...errors].filter(([file]) => !writtenFiles.has(file)).flatMap(([, lines]) => lines)).toEqual([]);
  });

  it('every entry of "exports" that is code has declarations, and they compile', () => {
    expect(untypedEntries).toEqual([]);
    expect(errors.get('every-entry.ts') ?? []).toEqual([]);
  });

  it('compiles every ```ts file= block of the docs', () => {
    const marked = docPages().flatMap((page) => [...docExamples(page).keys()].filter((file) => file.endsWith('.ts')).map((file) => `${page}: ${file}`));
    expect(marked.sort()).toEqual(EXAMPLES.map(({ page, file }) => `${page}: ${file}`).sort());
  });

  it.each(EXAMPLES)('$page: $file compiles', ({ file }) => {
    expect(errors.get(file) ?? []).toEqual([]);
  });

  it.each(EXAMPLES.filter((example) => example.ran !== undefined))('$page: $file runs and does what the page says', ({ file, ran }) => {
    const compiled = join(folder, 'out', file.replace(/\.ts$/, '.js'));
    expect(existsSync(compiled), `tsc did not emit ${file}`).toBe(true);
    const run = spawnSync(process.execPath, [compiled], { cwd: folder, env: cleanEnvironment(), encoding: 'utf8', timeout: 60_000 });
    expect(run.status, `node ${file} failed:\n${run.stderr}`).toBe(0);
    ran!(run.stdout.trim());
  }, 60_000);
});
