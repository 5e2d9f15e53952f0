/**
 * `npm run bench:report` — renders every `bench/results/*.json` into `bench/RESULTS.md` and
 * the SVG charts beside the results. `npm run bench` calls it at the end of every run.
 *
 * @example
 *   npm run build:ts && npm run bench:report
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { InputError } from '../src/errors.js';
import { renderReport } from './report-markdown.js';
import type { BenchResults } from './results-file.js';
import { resultsFolder } from './results-file.js';
import { repoRoot } from './repo-root.js';

const cell = z.union([z.string(), z.number()]);
const resultsSchema = z.looseObject({
  name: z.string().min(1),
  title: z.string().min(1),
  generatedAt: z.string(),
  machine: z.looseObject({ cpus: z.number(), model: z.string(), node: z.string() }),
  tables: z.array(z.object({ title: z.string(), columns: z.array(z.string()), rows: z.array(z.array(cell)) })),
  notes: z.array(z.string()),
  targets: z.array(z.object({ name: z.string(), measured: z.number().nullable(), target: z.string(), met: z.boolean() })).optional(),
});

/** Reads and checks one results file; the error names the file and the first bad field. */
export function readResultsFile(file: string): BenchResults {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError('BENCH_RESULTS', `not valid JSON, expected a bench results object (${(error as Error).message})`, { file }, { cause: error });
  }
  const checked = resultsSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new InputError('BENCH_RESULTS', `${issue.message}, expected the shared bench results format`, { file, field: issue.path.join('.') || '(root)' });
  }
  return checked.data as BenchResults;
}

/** Renders every results file in `folder`; returns the path of the RESULTS.md written. */
export function writeReport(folder = resultsFolder(), markdownFile = join(repoRoot(), 'bench', 'RESULTS.md')): string {
  const files = readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
  const { markdown, charts } = renderReport(files.map((name) => readResultsFile(join(folder, name))));
  for (const chart of charts) writeFileSync(join(folder, chart.file), chart.svg);
  writeFileSync(markdownFile, markdown);
  return markdownFile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(`wrote ${writeReport()}\n`);
  } catch (error) {
    process.stderr.write(`bench:report: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
