/** docs/runtimes.md's Bun example, run by Bun from npm against the installed package. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { cleanEnvironment, REPO } from '../package/installed-package.js';
import { writeDocExamples } from './doc-examples.js';
import { runtimeFolder } from './runtime-folder.js';
import { expectSameScores, nodeProbabilities, thousandCustomers, type RuntimeAnswer } from './same-scores.js';

/** The binary the npm package ships (its postinstall links it; nothing is downloaded). */
const BUN = join(REPO, 'node_modules', '.bin', 'bun');

let folder: string;
let reference: number[];

beforeAll(async () => {
  const customers = await thousandCustomers();
  reference = await nodeProbabilities(customers);
  folder = await runtimeFolder('bun', customers);
  writeDocExamples(folder, ['score-bun.js']);
});

describe('Bun (the bun npm package)', () => {
  it('imports churnkit, churnkit/wasm/* and churnkit/models and scores the 1,000 customers on the SIMD kernel, as Node does', () => {
    const run = spawnSync(BUN, ['score-bun.js'], { cwd: folder, env: cleanEnvironment({ BUN_INSTALL: join(folder, '.bun'), DO_NOT_TRACK: '1' }), encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`bun score-bun.js exited with ${run.status}: ${run.stderr}`);
    expectSameScores(JSON.parse(run.stdout) as RuntimeAnswer, reference, 'wasm-simd');
  });
});
