/** docs/runtimes.md's Deno and Bun examples, run by each runtime from npm against the installed package. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { bunEnvironment, cleanEnvironment, denoEnvironment, INSTALL_TIMEOUT_MS, REPO } from '../package/installed-package.js';
import { writeDocExamples } from './doc-examples.js';
import { runtimeFolder } from './runtime-folder.js';
import { expectSameScores, nodeProbabilities, thousandCustomers, type RuntimeAnswer } from './same-scores.js';

/** Each runtime's binary as its npm package ships it (its postinstall links it; nothing is downloaded), and how the doc runs the example. */
interface Runtime {
  name: string;
  example: string;
  args: string[];
  env: (folder: string) => Record<string, string>;
  /** How to run the example with WebAssembly SIMD switched off. */
  withoutSimd: { args: string[]; env: Record<string, string> };
}

const RUNTIMES: Runtime[] = [
  {
    name: 'Deno',
    example: 'score-deno.js',
    args: ['run', '--allow-read', 'score-deno.js'],
    env: denoEnvironment,
    // V8 without SSE4.1 has no WebAssembly SIMD, as on such a CPU (node.test.ts does the same to Node).
    withoutSimd: { args: ['run', '--allow-read', '--v8-flags=--no-enable-sse4-1', 'score-deno.js'], env: {} },
  },
  {
    name: 'Bun',
    example: 'score-bun.js',
    args: ['score-bun.js'],
    env: bunEnvironment,
    // JavaScriptCore's own switch for WebAssembly SIMD, read from the environment by Bun.
    withoutSimd: { args: ['score-bun.js'], env: { BUN_JSC_useWasmSIMD: '0' } },
  },
];

let reference: number[];
const folders = new Map<string, string>();

beforeAll(async () => {
  const customers = await thousandCustomers();
  reference = await nodeProbabilities(customers);
  for (const { name } of RUNTIMES) folders.set(name, await runtimeFolder(name.toLowerCase(), customers));
}, INSTALL_TIMEOUT_MS);

describe.each(RUNTIMES)('$name (the npm package)', ({ name, example, args, env, withoutSimd }) => {
  function runExample(runArgs: string[], extraEnv: Record<string, string>): RuntimeAnswer {
    const folder = folders.get(name)!;
    writeDocExamples(folder, [example]);
    const run = spawnSync(join(REPO, 'node_modules', '.bin', name.toLowerCase()), runArgs, { cwd: folder, env: cleanEnvironment({ ...env(folder), ...extraEnv }), encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`${name} ${example} exited with ${run.status}: ${run.stderr}`);
    return JSON.parse(run.stdout) as RuntimeAnswer;
  }

  it('imports churnkit, churnkit/wasm/* and churnkit/models and scores the 1,000 customers on the SIMD kernel, as Node does', () => {
    expectSameScores(runExample(args, {}), reference, 'wasm-simd');
  });

  it('scores them on the scalar kernel when the engine runs without WebAssembly SIMD, as Node does to 1e-6', () => {
    expectSameScores(runExample(withoutSimd.args, withoutSimd.env), reference, 'wasm-scalar');
  });
});
