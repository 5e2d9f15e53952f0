/**
 * README's "A storefront in twenty lines", followed as a new user follows it: the install command it
 * states, run in a fresh project (the packed tarball in place of `churnkit`, the rest from the
 * registry); its `server.mjs` written out verbatim and started with node; its shell steps run
 * by bash, with curl performed by fetch (curl-stand-in.mjs) so the test needs no curl. The
 * answer the README shows must be the answer the server gives.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/events/day.js';
import { freePort } from '../plugin/store/redis-server.js';
import { cleanEnvironment, installedPackage, INSTALL_TIMEOUT_MS, npmInstall, REPO } from './installed-package.js';

interface ReadmeExample {
  /** The packages the install line names besides churnkit. */
  peers: string[];
  server: string;
  /** The shell block with the curl steps. */
  steps: string;
  /** The answer shown under the steps (`# {...}`). */
  shownAnswer: unknown;
}

function readmeExample(): ReadmeExample {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const install = /^npm install churnkit([^#\n]*)/m.exec(readme);
  const server = /^```js file=server\.mjs\n([\s\S]*?)^```$/m.exec(readme);
  const steps = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map(([, body]) => body!).find((body) => /^curl /m.test(body));
  if (!install || !server || !steps) throw new Error('README.md lacks its example: an "npm install churnkit ..." line, a ```js file=server.mjs block and a ```sh block of curl steps');
  const shown = steps.split('\n').filter((line) => line.startsWith('# {')).at(-1);
  if (shown === undefined) throw new Error("README.md's curl steps show no answer (a line '# {...}' under them)");
  return { peers: install[1]!.trim().split(/\s+/).filter(Boolean), server: server[1]!, steps, shownAnswer: JSON.parse(shown.slice(2)) };
}

interface Exchange {
  method: string;
  path: string;
  status: number;
  body: string;
}

let example: ReadmeExample;
let folder: string;
let server: ChildProcess | undefined;
let port: number;
let serverOutput = '';

beforeAll(async () => {
  example = readmeExample();
  const { project, tarball } = await installedPackage();
  folder = join(dirname(project), 'readme-example');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify({ name: 'my-shop', private: true })}\n`);
  npmInstall(folder, [tarball, ...example.peers]);
  writeFileSync(join(folder, 'server.mjs'), example.server);
  port = await freePort();
  server = spawn(process.execPath, ['server.mjs'], { cwd: folder, env: cleanEnvironment({ PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (chunk: Buffer) => (serverOutput += chunk));
  server.stderr!.on('data', (chunk: Buffer) => (serverOutput += chunk));
  await untilListening();
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  if (server === undefined || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server!.once('exit', resolve));
  server.kill();
  await exited;
});

/** Polls the plugin's health route until the server answers, failing with its output if it exits first. */
async function untilListening(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server!.exitCode !== null) throw new Error(`node server.mjs exited with ${server!.exitCode}:\n${serverOutput}`);
    try {
      if ((await fetch(`http://localhost:${port}/churn/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
  throw new Error(`node server.mjs did not answer within 60 s:\n${serverOutput}`);
}

/** Runs the README's shell steps against the server, as a user at a terminal would, and returns what they print and the exchanges. */
function runSteps(): { stdout: string; exchanges: Exchange[] } {
  const bin = join(folder, 'bin');
  if (!existsSync(bin)) {
    mkdirSync(bin);
    symlinkSync(join(REPO, 'test', 'package', 'curl-stand-in.mjs'), join(bin, 'curl'));
  }
  const log = join(folder, `curl-${Date.now()}.jsonl`);
  writeFileSync(log, '');
  // The README's server listens on 3000 unless PORT says otherwise; tests never use a fixed port.
  const steps = example.steps.replaceAll('localhost:3000', `localhost:${port}`);
  const run = spawnSync('bash', ['-eu', '-c', steps], { cwd: folder, env: cleanEnvironment({ PATH: `${bin}:${process.env.PATH}`, CURL_LOG: log }), encoding: 'utf8', timeout: 60_000 });
  expect(run.status, `the README's steps failed:\n${run.stderr}\nserver:\n${serverOutput}`).toBe(0);
  const exchanges = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Exchange);
  return { stdout: run.stdout, exchanges };
}

describe("README's example, in a fresh project with the packed package", () => {
  it('installs with the one command it states: churnkit and the peers it names, nothing native', () => {
    expect(example.peers).toEqual(['express', 'prom-client']);
    expect(existsSync(join(folder, 'node_modules', 'churnkit', 'package.json'))).toBe(true);
    expect(existsSync(join(folder, 'node_modules', 'better-sqlite3'))).toBe(false);
  });

  it('offers the coupon to the customer who last ordered 95 days ago, with the reasons the README shows, in words', () => {
    const { stdout, exchanges } = runSteps();
    expect(exchanges.map(({ method, path, status }) => `${method} ${path} ${status}`)).toEqual(['POST /churn/events 201', 'GET /products/p-1 200']);
    expect(stdout).toBe(exchanges.map((exchange) => exchange.body).join(''));
    const answer = JSON.parse(exchanges[1]!.body) as { offer: string | null; why: string[] };
    expect(answer.offer).toBe('coupon');
    expect(answer).toEqual(example.shownAnswer);
    for (const reason of answer.why) expect(reason).not.toMatch(/log_|_days|\d\.\d{3}/);
  });

  it('offers nothing to a regular who visits every few days, as the README says', async () => {
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toMatch(/A regular who visits every few days gets `"offer": null`/);
    const now = Date.now();
    // A visit every 3 days for six months, two pages each, an order every three weeks.
    const visits = Array.from({ length: 60 }, (_, visit) => ({ visit, ts: now - (visit * 3 + 1) * DAY_MS }));
    const events = visits.flatMap(({ visit, ts }) => [
      { customerId: 'c-7', type: 'session_start', ts },
      { customerId: 'c-7', type: 'page_view', ts: ts + 1_000 },
      { customerId: 'c-7', type: 'page_view', ts: ts + 2_000 },
      ...(visit % 7 === 0 ? [{ customerId: 'c-7', type: 'order', value: 60, ts: ts + 3_000 }] : []),
    ]);
    const posted = await fetch(`http://localhost:${port}/churn/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
    expect(posted.status).toBe(201);
    const page = await fetch(`http://localhost:${port}/products/p-1`, { headers: { 'x-customer-id': 'c-7' } });
    expect(await page.json()).toMatchObject({ offer: null, risk: 'low' });
  });
});
