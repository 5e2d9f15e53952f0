/** docs/runtimes.md's Deno example, run by Deno from npm against the installed package. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { cleanEnvironment, REPO } from '../package/installed-package.js';
import { writeDocExamples } from './doc-examples.js';
import { runtimeFolder } from './runtime-folder.js';
import { expectSameScores, nodeProbabilities, thousandCustomers, type RuntimeAnswer } from './same-scores.js';

/** The binary the npm package ships (its postinstall links it; nothing is downloaded). */
const DENO = join(REPO, 'node_modules', '.bin', 'deno');

let folder: string;
let reference: number[];

beforeAll(async () => {
  const customers = await thousandCustomers();
  reference = await nodeProbabilities(customers);
  folder = await runtimeFolder('deno', customers);
  writeDocExamples(folder, ['score-deno.js']);
});

describe('Deno (the deno npm package)', () => {
  it('imports churnkit, churnkit/wasm/* and churnkit/models and scores the 1,000 customers on the SIMD kernel, as Node does', () => {
    const run = spawnSync(DENO, ['run', '--allow-read', 'score-deno.js'], { cwd: folder, env: cleanEnvironment({ DENO_DIR: join(folder, '.deno'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' }), encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`deno score-deno.js exited with ${run.status}: ${run.stderr}`);
    expectSameScores(JSON.parse(run.stdout) as RuntimeAnswer, reference, 'wasm-simd');
  });
});
