/**
 * `npm run bench:fuzz` — runs the fuzz suites (test/fuzz: model loader, event readers, the
 * WebAssembly boundary, every HTTP body), the model-swap kill -9 test and the stores' kill -9
 * tests (SQLite, Redis with appendfsync always), and writes what they measured into
 * bench/RESULTS.md's "Reliability" section: cases per target, slowest case, longest
 * event-loop delay, kill rounds, events acknowledged and lost. `--scale N` runs N times the
 * cases (CHURNKIT_FUZZ_SCALE), `--kill-rounds N` that many swap kill rounds (default 20),
 * `--store-kill-rounds N` that many rounds per store (CHURNKIT_KILL_ROUNDS, default 25; 0 skips the
 * stores' rounds and keeps their last measured results, for a rerun of the rest).
 *
 * @example
 *   npm run build && npm run bench:fuzz -- --scale 2
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { reliabilityInputs, writeReliability, type FuzzInput, type FuzzTallyInput } from './reliability-report.js';
import { repoRoot } from './repo-root.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, 'kill-rounds': { type: 'string', default: '20' }, 'store-kill-rounds': { type: 'string', default: '25' } } });
const scratch = mkdtempSync(join(tmpdir(), 'churnkit-bench-fuzz-'));
const talliesFile = join(scratch, 'tallies.jsonl');
try {
  const storeKillTests = values['store-kill-rounds'] === '0' ? [] : ['test/plugin/store/kill-durability.sqlite.test.ts', 'test/plugin/store/kill-durability.redis.test.ts'];
  const vitest = spawnSync(process.execPath, [join(repoRoot(), 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz', 'test/plugin/model-persistence.test.ts', ...storeKillTests], {
    cwd: repoRoot(),
    env: { ...process.env, CHURNKIT_FUZZ_SCALE: values.scale, CHURNKIT_FUZZ_TALLIES: talliesFile, CHURNKIT_RELIABILITY_DIR: reliabilityInputs(), CHURNKIT_SWAP_KILL_ROUNDS: values['kill-rounds'], CHURNKIT_KILL_ROUNDS: values['store-kill-rounds'] },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const output = `${vitest.stdout}${vitest.stderr}`;
  process.stdout.write(output);
  // vitest's summary lines, without colours: "Test Files  5 passed (5)", "Tests  31 passed | 1 skipped (32)".
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const summary = ['Test Files', 'Tests'].map((label) => new RegExp(`^\\s*${label}\\s+(.+)$`, 'm').exec(plain)?.[1]?.trim() ?? 'no summary').join('; ');
  if (!existsSync(talliesFile)) throw new Error(`the fuzz suites recorded no tallies (vitest exit code ${vitest.status}): ${summary}`);
  const tallies = readFileSync(talliesFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as FuzzTallyInput);
  const input: FuzzInput = {
    measuredAt: new Date().toISOString(),
    command: `npm run bench:fuzz -- --scale ${values.scale} --kill-rounds ${values['kill-rounds']} --store-kill-rounds ${values['store-kill-rounds']}`,
    tallies,
    outcome: `vitest: files ${summary}`,
  };
  writeFileSync(join(reliabilityInputs(), 'fuzz.json'), `${JSON.stringify(input, null, 2)}\n`);
  process.stdout.write(`wrote ${writeReliability()}\n`);
  if (vitest.status !== 0) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
