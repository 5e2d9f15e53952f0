/** docs/runtimes.md's Node examples, run from the installed package, with and without WebAssembly SIMD. */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { cleanEnvironment, INSTALL_TIMEOUT_MS } from '../package/installed-package.js';
import { writeDocExamples } from './doc-examples.js';
import { runtimeFolder } from './runtime-folder.js';
import { expectSameScores, nodeProbabilities, thousandCustomers, type RuntimeAnswer } from './same-scores.js';

let folder: string;
let reference: number[];

beforeAll(async () => {
  const customers: RawRecord[] = await thousandCustomers();
  reference = await nodeProbabilities(customers);
  folder = await runtimeFolder('node', customers);
  writeDocExamples(folder, ['score.mjs', 'kernel-only.mjs']);
}, INSTALL_TIMEOUT_MS);

function runExample(nodeFlags: string[]): RuntimeAnswer {
  const run = spawnSync(process.execPath, [...nodeFlags, 'score.mjs', 'model.json', 'customers.json'], { cwd: folder, env: cleanEnvironment(), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`node score.mjs exited with ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as RuntimeAnswer;
}

describe('Node, from the installed package (churnkit/node)', () => {
  it('scores the 1,000 customers on the SIMD kernel, as the checkout does', () => {
    expectSameScores(runExample([]), reference, 'wasm-simd');
  });

  it('scores them on the scalar kernel when V8 runs without SIMD (--no-enable-sse4-1, as on a CPU without SSE4.1)', () => {
    expectSameScores(runExample(['--no-enable-sse4-1']), reference, 'wasm-scalar');
  });
});

describe('Node, from the installed package (churnkit/engine)', () => {
  it('scores a network of its own on the SIMD kernel, the kernel alone', () => {
    const run = spawnSync(process.execPath, ['kernel-only.mjs'], { cwd: folder, env: cleanEnvironment(), encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`node kernel-only.mjs exited with ${run.status}: ${run.stderr}`);
    const answer = JSON.parse(run.stdout) as { engine: string; probability: number };
    // 0.5 * 0.2 - 1 * 1 + 2 * 0 + 0.1
    expect(answer).toEqual({ engine: 'wasm-simd', probability: expect.closeTo(1 / (1 + Math.exp(0.8)), 6) });
  });
});
