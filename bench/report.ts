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
import { resultsFolder, type BenchResults } from './results-file.js';
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

/**
 * Renders every results file in `folder` into `markdownFile`. A file that cannot be read is
 * listed in RESULTS.md with the reason (one script's broken output must not hide the others')
 * and returned in `unreadable`.
 */
export function writeReport(folder = resultsFolder(), markdownFile = join(repoRoot(), 'bench', 'RESULTS.md')): { markdownFile: string; unreadable: InputError[] } {
  const unreadable: InputError[] = [];
  const results: BenchResults[] = [];
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.json')).sort()) {
    try {
      results.push(readResultsFile(join(folder, name)));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      unreadable.push(error);
    }
  }
  const { markdown, charts } = renderReport(results);
  for (const chart of charts) writeFileSync(join(folder, chart.file), chart.svg);
  const problems = unreadable.map((error) => `- ${error.message}`);
  writeFileSync(markdownFile, problems.length === 0 ? markdown : `${markdown}\n## Results files that could not be rendered\n\n${problems.join('\n')}\n`);
  return { markdownFile, unreadable };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { markdownFile, unreadable } = writeReport();
    process.stdout.write(`wrote ${markdownFile}\n`);
    for (const error of unreadable) process.stderr.write(`bench:report: skipped ${error.message}\n`);
    if (unreadable.length > 0) process.exitCode = 1;
  } catch (error) {
    process.stderr.write(`bench:report: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
