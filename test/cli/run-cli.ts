import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { requireFreshCli } from '../support/fresh-build.js';

/** The CLI as installed (the package's bin, bundled): `npm test` builds it first (pretest); alone, a stale or missing build fails the test. */
export const CLI = resolve(import.meta.dirname, '../../dist/cli/churnkit.js');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `churnkit <args>` in `cwd` with a non-TTY stderr, as CI and pipes do. */
export function runCli(args: readonly string[], cwd: string): CliRun {
  requireFreshCli();
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'churnkit-cli-'));
}

/**
 * A small deterministic customer file where churn follows tenure, complaints and
 * plan, with label noise so no model is perfect. Labels are Yes/No to exercise
 * target parsing; ids have leading zeros to check they stay text.
 */
export function writeCustomers(file: string, rows = 240): void {
  const plans = ['Basic', 'Plus', 'Pro'];
  let state = 12345;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const lines = ['CustomerID,Churn,Tenure,Plan,Complain,Spend'];
  for (let i = 0; i < rows; i++) {
    const tenure = Math.floor(random() * 40);
    const plan = plans[Math.floor(random() * plans.length)]!;
    const complain = random() < 0.3 ? 1 : 0;
    const spend = (50 + random() * 200).toFixed(2);
    const risk = 1.2 - tenure / 12 + 1.8 * complain + (plan === 'Basic' ? 0.8 : 0) + (random() - 0.5) * 2;
    const tenureCell = i % 17 === 5 ? '' : String(tenure);
    lines.push(`${String(i + 1).padStart(5, '0')},${risk > 0 ? 'Yes' : 'No'},${tenureCell},${plan},${complain},${spend}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}
