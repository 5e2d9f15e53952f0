/** docs/runtimes.md's Deno and Bun examples, run by each runtime from npm against the installed package. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { bunEnvironment, cleanEnvironment, denoEnvironment, INSTALL_TIMEOUT_MS, REPO } from '../package/installed-package.js';
import { writeDocExamples } from './doc-examples.js';
import { runtimeFolder } from './runtime-folder.js';
import { expectSameScores, nodeProbabilities, thousandCustomers, type RuntimeAnswer } from './same-scores.js';

/** Each runtime's binary as its npm package ships it (its postinstall links it; nothing is downloaded), and how the doc runs the example. */
const RUNTIMES = [
  { name: 'Deno', example: 'score-deno.js', args: ['run', '--allow-read', 'score-deno.js'], env: denoEnvironment },
  { name: 'Bun', example: 'score-bun.js', args: ['score-bun.js'], env: bunEnvironment },
];

let reference: number[];
const folders = new Map<string, string>();

beforeAll(async () => {
  const customers = await thousandCustomers();
  reference = await nodeProbabilities(customers);
  for (const { name } of RUNTIMES) folders.set(name, await runtimeFolder(name.toLowerCase(), customers));
}, INSTALL_TIMEOUT_MS);

describe.each(RUNTIMES)('$name (the npm package)', ({ name, example, args, env }) => {
  it('imports churnkit, churnkit/wasm/* and churnkit/models and scores the 1,000 customers on the SIMD kernel, as Node does', () => {
    const folder = folders.get(name)!;
    writeDocExamples(folder, [example]);
    const run = spawnSync(join(REPO, 'node_modules', '.bin', name.toLowerCase()), args, { cwd: folder, env: cleanEnvironment(env(folder)), encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`${name} ${example} exited with ${run.status}: ${run.stderr}`);
    expectSameScores(JSON.parse(run.stdout) as RuntimeAnswer, reference, 'wasm-simd');
  });
});
