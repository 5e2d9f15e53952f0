/**
 * The scheduled retraining's rules pinned one by one, with a stand-in for the CLI bundle (a
 * small script that writes the summary `churnkit retrain --json` would, and waits for a
 * release file when told to) and a fake clock for the schedule: one run at a time, a run
 * every `every` and none after `stop()`, a challenger swapped in only when the summary says
 * it won against the model still serving, and the option resolved into the CLI's flags.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ChurnkitError } from '../../src/errors.js';
import type { PluginContext } from '../../plugin/context.js';
import { resolveRetrain, retrainOptionField } from '../../plugin/retrain/retrain-options.js';
import type { RetrainRun } from '../../plugin/retrain/retrain-run.js';
import { scheduleRetraining, type RetrainScheduler } from '../../plugin/retrain/retrain-scheduler.node.js';
import { replaceServingModel } from '../../plugin/routes/model.js';
import type { RetrainSettings } from '../../plugin/retrain/retrain-options.js';
import { DEFAULT_CHURN_DEFINITION } from '../../plugin/churn-definition.js';
import type { ServingModel } from '../../plugin/serving-model.js';
import { DEFAULT_MIN_GAIN } from '../../src/retrain/min-gain.js';
import { makeTempDir as makeCliTempDir } from '../cli/run-cli.js';

const HOUR = 3_600_000;

/** Every folder these tests make, removed at the end. */
const temporary: string[] = [];
function makeTempDir(): string {
  const dir = makeCliTempDir();
  temporary.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/**
 * The stand-in CLI: logs its arguments to calls.log (one JSON line per start), waits for
 * `release` when behaviour.block is set (a minute at most), then exits with behaviour.exit or prints a summary
 * (a progress line first: only the last line is the summary) and writes challenger.json.
 */
const FAKE_CLI = `
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const here = new URL('.', import.meta.url).pathname;
const behaviour = JSON.parse(readFileSync(join(here, 'behaviour.json'), 'utf8'));
const args = process.argv.slice(2);
const flag = (name) => args[args.indexOf(name) + 1];
appendFileSync(join(here, 'calls.log'), JSON.stringify(args) + '\\n');
// Blocked at most a minute, so a test that never releases it leaves no process behind.
const blockedUntil = Date.now() + 60_000;
if (behaviour.block) while (!existsSync(join(here, 'release'))) {
  if (Date.now() > blockedUntil) process.exit(3);
  await new Promise((resolve) => setTimeout(resolve, 20));
}
if (behaviour.exit) { process.stderr.write('first line\\nchurnkit: ' + behaviour.why + '\\n'); process.exit(behaviour.exit); }
const champion = JSON.parse(readFileSync(flag('--champion'), 'utf8'));
writeFileSync(join(flag('--out'), 'challenger.json'), JSON.stringify({ version: behaviour.challenger }));
const metrics = (auc) => ({ auc });
console.log('training...');
console.log(JSON.stringify({
  decision: behaviour.decision, gain: behaviour.gain, minGain: Number(flag('--min-gain')),
  champion: { version: champion.version, metrics: metrics(0.8) },
  challenger: { version: behaviour.challenger, metrics: metrics(0.8 + behaviour.gain) },
  evaluation: { rows: 100 },
}));
`;

interface Behaviour {
  decision?: 'promote' | 'keep';
  gain?: number;
  challenger?: string;
  block?: boolean;
  exit?: number;
  why?: string;
}

function fakeCli(behaviour: Behaviour) {
  const dir = makeTempDir();
  const cli = join(dir, 'churnkit.mjs');
  writeFileSync(cli, FAKE_CLI);
  writeFileSync(join(dir, 'behaviour.json'), JSON.stringify({ decision: 'keep', gain: 0, challenger: 'v2', ...behaviour }));
  const calls = () => (existsSync(join(dir, 'calls.log')) ? readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as string[]) : []);
  return { cli, dir, calls, release: () => writeFileSync(join(dir, 'release'), '') };
}

/** A model churnkit loaded from a file: what the scheduler hands the CLI as champion. */
const fileModel = (version: string) => ({ version, toFile: () => ({ version }) }) as unknown as ServingModel;

function fakeContext(servingVersion = 'v1', refuse?: ChurnkitError) {
  const state = { serving: fileModel(servingVersion) };
  const errors: { error: unknown; code: string }[] = [];
  const context = {
    slot: { current: () => state.serving, swap: (model: ServingModel) => void (state.serving = model) },
    loadModel: async (body: { version: string }) => {
      if (refuse !== undefined) throw refuse;
      return fileModel(body.version);
    },
    onError: (error: unknown, details: { code: string }) => errors.push({ error, code: details.code }),
  } as unknown as PluginContext;
  return { context, state, errors };
}

function settings(overrides: Partial<RetrainSettings> = {}): RetrainSettings {
  return { everyMs: 24 * HOUR, store: 'sqlite:./nowhere', keyPrefix: undefined, minGain: 0.005, flags: [], outDir: undefined, timeoutMs: 60_000, onRun: undefined, ...overrides };
}

function reports() {
  const finished: RetrainRun[] = [];
  const failed: unknown[] = [];
  return { finished, failed, sink: { finished: (run: RetrainRun) => finished.push(run), failed: (error: unknown) => failed.push(error) } };
}

let scheduler: RetrainScheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  vi.useRealTimers();
});

describe('one retrain run', () => {
  it('swaps in a challenger the summary says won, against the model still serving', async () => {
    const fake = fakeCli({ decision: 'promote', gain: 0.02, challenger: 'v2' });
    const { context, state, errors } = fakeContext('v1');
    const out = reports();
    scheduler = scheduleRetraining(settings(), context, fake.cli, out.sink);
    const run = await scheduler.runNow();
    expect(run).toMatchObject({ decision: 'promote', promoted: true, champion: { version: 'v1', auc: 0.8 }, challenger: { version: 'v2' }, gain: 0.02, folder: null });
    expect(state.serving.version).toBe('v2');
    expect(out.finished).toEqual([run]);
    expect(errors).toEqual([]);
  });

  it('keeps the serving model when the summary says keep, though a challenger file was written', async () => {
    const fake = fakeCli({ decision: 'keep', gain: 0.001, challenger: 'v2' });
    const { context, state } = fakeContext('v1');
    scheduler = scheduleRetraining(settings(), context, fake.cli, reports().sink);
    const run = await scheduler.runNow();
    expect(run).toMatchObject({ decision: 'keep', promoted: false });
    expect(state.serving.version).toBe('v1');
    expect(run.message).toMatch(/kept the serving model: .*gain \+0\.0010 < 0\.005/);
  });

  it('does not swap in a winner when another model was swapped in during the run (it was never compared with that one)', async () => {
    const fake = fakeCli({ decision: 'promote', gain: 0.02, challenger: 'v2', block: true });
    const { context, state, errors } = fakeContext('v1');
    scheduler = scheduleRetraining(settings(), context, fake.cli, reports().sink);
    const pending = scheduler.runNow();
    await vi.waitFor(() => expect(fake.calls()).toHaveLength(1), { timeout: 20_000, interval: 20 });
    // An operator swaps in v3 while the retrain compares v2 with v1.
    state.serving = fileModel('v3');
    fake.release();
    const run = await pending;
    expect(run).toMatchObject({ decision: 'promote', promoted: false });
    expect(state.serving.version).toBe('v3');
    expect(errors.map((entry) => entry.code)).toEqual(['RETRAIN_CHAMPION_CHANGED']);
  });

  it('does not swap in a winner over a model PUT while the challenger was loading', async () => {
    const fake = fakeCli({ decision: 'promote', gain: 0.02, challenger: 'v2' });
    const { context, state, errors } = fakeContext('v1');
    const load = context.loadModel;
    let challengerLoading!: () => void;
    const loading = new Promise<void>((resolve) => (challengerLoading = resolve));
    let finishLoading!: () => void;
    const loaded = new Promise<void>((resolve) => (finishLoading = resolve));
    context.loadModel = async (body) => {
      if ((body as { version: string }).version !== 'v2') return load(body);
      challengerLoading();
      await loaded;
      return load(body);
    };
    scheduler = scheduleRetraining(settings(), context, fake.cli, reports().sink);
    const pending = scheduler.runNow();
    await loading;
    // The champion check passed; now an operator's PUT /model lands before the challenger is loaded.
    expect((await replaceServingModel(context, { version: 'v3' })).status).toBe(200);
    finishLoading();
    const run = await pending;
    expect(run).toMatchObject({ decision: 'promote', promoted: false });
    expect(state.serving.version).toBe('v3');
    expect(errors.map((entry) => entry.code)).toEqual(['RETRAIN_CHAMPION_CHANGED']);
  });

  it('reports a winner the model loader refuses, and keeps serving the old model', async () => {
    const fake = fakeCli({ decision: 'promote', gain: 0.02, challenger: 'v2' });
    const { context, state, errors } = fakeContext('v1', new ChurnkitError('MODEL_INVALID', 'features differ'));
    scheduler = scheduleRetraining(settings(), context, fake.cli, reports().sink);
    const run = await scheduler.runNow();
    expect(run.promoted).toBe(false);
    expect(state.serving.version).toBe('v1');
    expect(errors.map((entry) => entry.code)).toEqual(['RETRAIN_PROMOTE_REFUSED']);
    expect(run.message).toMatch(/won but was not promoted/);
  });

  it('hands the CLI the margin, the key prefix and the flags it was configured with', async () => {
    const fake = fakeCli({});
    const { context } = fakeContext('v1');
    scheduler = scheduleRetraining(settings({ minGain: 0.03, keyPrefix: 'shop:', flags: ['--horizon', '60d'], store: 'redis://x' }), context, fake.cli, reports().sink);
    await scheduler.runNow();
    const [args] = fake.calls();
    expect(args!.slice(0, 3)).toEqual(['retrain', '--store', 'redis://x']);
    expect(args!.slice(3, 5)).toEqual(['--key-prefix', 'shop:']);
    expect(args![args!.indexOf('--min-gain') + 1]).toBe('0.03');
    expect(args!.slice(-3)).toEqual(['--horizon', '60d', '--json']);
  });

  it('keeps the run\'s folder under outDir, and removes the temporary one otherwise', async () => {
    const outDir = makeTempDir();
    const fake = fakeCli({});
    const { context } = fakeContext('v1');
    scheduler = scheduleRetraining(settings({ outDir }), context, fake.cli, reports().sink);
    const run = await scheduler.runNow();
    expect(run.folder).not.toBeNull();
    expect(readdirSync(run.folder!).sort()).toEqual(['challenger.json', 'champion.json']);
    const tempRun = fakeCli({});
    const temporary = scheduleRetraining(settings(), context, tempRun.cli, reports().sink);
    await temporary.runNow();
    await temporary.stop();
    const championFile = tempRun.calls()[0]![tempRun.calls()[0]!.indexOf('--champion') + 1]!;
    expect(existsSync(championFile)).toBe(false);
  });

  it('reports a failed run with the last line of the CLI\'s stderr, to onError and the metrics', async () => {
    const fake = fakeCli({ exit: 1, why: 'the store holds no events' });
    const { context, errors } = fakeContext('v1');
    const out = reports();
    scheduler = scheduleRetraining(settings(), context, fake.cli, out.sink);
    await expect(scheduler.runNow()).rejects.toThrow('churnkit retrain exited with code 1: churnkit: the store holds no events');
    expect(out.failed).toHaveLength(1);
    expect(errors.map((entry) => entry.code)).toEqual(['RETRAIN_FAILED']);
  });

  it('stops a run that takes longer than timeoutMs, as RETRAIN_TIMEOUT', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = fakeCli({ block: true });
    const { context, errors } = fakeContext('v1');
    scheduler = scheduleRetraining(settings({ timeoutMs: 5000 }), context, fake.cli, reports().sink);
    const pending = scheduler.runNow();
    const failure = pending.catch((error: unknown) => error);
    await vi.waitFor(() => expect(fake.calls()).toHaveLength(1), { timeout: 20_000, interval: 20 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(await failure).toMatchObject({ code: 'RETRAIN_TIMEOUT', message: expect.stringMatching(/took longer than retrain.timeoutMs \(5000 ms\)/) });
    expect(errors.map((entry) => entry.code)).toEqual(['RETRAIN_TIMEOUT']);
  });

  it('reports an onRun hook that throws, and still resolves with the run', async () => {
    const fake = fakeCli({});
    const { context, errors } = fakeContext('v1');
    scheduler = scheduleRetraining(
      settings({
        onRun: () => {
          throw new Error('hook broke');
        },
      }),
      context,
      fake.cli,
      reports().sink,
    );
    await expect(scheduler.runNow()).resolves.toMatchObject({ decision: 'keep' });
    expect(errors.map((entry) => entry.code)).toEqual(['RETRAIN_HOOK_ERROR']);
  });
});

describe('the schedule', () => {
  it('runs one retrain at a time: a second call joins the run under way', async () => {
    const fake = fakeCli({ block: true });
    const { context } = fakeContext('v1');
    scheduler = scheduleRetraining(settings(), context, fake.cli, reports().sink);
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    expect(second).toBe(first);
    await vi.waitFor(() => expect(fake.calls()).toHaveLength(1), { timeout: 20_000, interval: 20 });
    fake.release();
    await first;
    expect(fake.calls()).toHaveLength(1);
    // Once it has finished, the next call starts a new run.
    await scheduler.runNow();
    expect(fake.calls()).toHaveLength(2);
  });

  it('runs first one `every` after start, then every `every`, leaving a run still going to finish', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = fakeCli({ block: true });
    const { context } = fakeContext('v1');
    const out = reports();
    scheduler = scheduleRetraining(settings({ everyMs: HOUR, timeoutMs: 100 * HOUR }), context, fake.cli, out.sink);
    await vi.advanceTimersByTimeAsync(HOUR);
    await vi.waitFor(() => expect(fake.calls()).toHaveLength(1), { timeout: 20_000, interval: 20 });
    // Two more ticks while it is blocked: no second run at once.
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    fake.release();
    await vi.waitFor(() => expect(out.finished).toHaveLength(1), { timeout: 20_000, interval: 20 });
    expect(fake.calls()).toHaveLength(1);
    // The next tick after it finished starts the next run.
    await vi.advanceTimersByTimeAsync(HOUR);
    await vi.waitFor(() => expect(out.finished).toHaveLength(2), { timeout: 20_000, interval: 20 });
    expect(fake.calls()).toHaveLength(2);
  });

  it('waits out an `every` longer than setTimeout can hold (30 days) in steps, and runs once at its end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = fakeCli({});
    const { context } = fakeContext('v1');
    const out = reports();
    scheduler = scheduleRetraining(settings({ everyMs: 30 * 24 * HOUR }), context, fake.cli, out.sink);
    // 2^31 - 1 ms is about 24.9 days: the 30 days are waited in two steps.
    await vi.advanceTimersByTimeAsync(30 * 24 * HOUR);
    await vi.waitFor(() => expect(out.finished).toHaveLength(1), { timeout: 20_000, interval: 20 });
    expect(fake.calls()).toHaveLength(1);
  });

  it('never asks setTimeout for more than it can hold (2^31 - 1 ms), which Node would cut to 1 ms', async () => {
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    try {
      const { context } = fakeContext('v1');
      scheduler = scheduleRetraining(settings({ everyMs: 30 * 24 * HOUR }), context, fakeCli({}).cli, reports().sink);
      const delays = timeouts.mock.calls.map((call) => call[1]);
      expect(delays).toEqual([2 ** 31 - 1]);
    } finally {
      timeouts.mockRestore();
    }
  });

  it('after stop(), leaves no timer behind, starts no run, and ends the run under way without reporting it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = fakeCli({ block: true });
    const { context, errors } = fakeContext('v1');
    const out = reports();
    const stopping = scheduleRetraining(settings({ everyMs: HOUR, timeoutMs: 100 * HOUR }), context, fake.cli, out.sink);
    const pending = stopping.runNow().catch((error: Error) => error);
    await vi.waitFor(() => expect(fake.calls()).toHaveLength(1), { timeout: 20_000, interval: 20 });
    await stopping.stop();
    expect((await pending as Error).message).toMatch(/was ended by SIGTERM/);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * HOUR);
    expect(fake.calls()).toHaveLength(1);
    expect(out.failed).toEqual([]);
    expect(errors).toEqual([]);
    await expect(stopping.runNow()).rejects.toMatchObject({ code: 'RETRAIN_STOPPED' });
  });
});

describe('the retrain option resolved', () => {
  const resolve = (option: Record<string, unknown>, dataDir = './data') => resolveRetrain(retrainOptionField.parse(option), option as never, undefined, dataDir, DEFAULT_CHURN_DEFINITION)!;

  it('defaults to the plugin\'s own SQLite store, the CLI\'s margin and a 2-hour timeout', () => {
    expect(resolve({ every: '12h' })).toMatchObject({ everyMs: 12 * HOUR, store: 'sqlite:./data', minGain: DEFAULT_MIN_GAIN, timeoutMs: 2 * HOUR, outDir: undefined, keyPrefix: undefined });
  });

  it('passes the trainer settings as churnkit retrain\'s flags, lists joined by commas', () => {
    const flags = resolve({ every: '7d', cutoffs: 4, step: '14d', training: { model: 'mlp', hidden: [16, 8], epochs: 30, learningRate: 0.01, batchSize: 64, l2: 0.001, seed: 7 } }).flags;
    expect(flags.slice(6)).toEqual(['--cutoffs', '4', '--step', '14d', '--model', 'mlp', '--hidden', '16,8', '--epochs', '30', '--lr', '0.01', '--batch-size', '64', '--l2', '0.001', '--seed', '7']);
  });

  it('keeps the given store, key prefix, margin, outDir and timeout', () => {
    expect(resolve({ every: '1h', store: 'redis://r:6379', keyPrefix: 'shop:', minGain: 0, outDir: './runs', timeoutMs: 1000 })).toMatchObject({
      everyMs: HOUR,
      store: 'redis://r:6379',
      keyPrefix: 'shop:',
      minGain: 0,
      outDir: './runs',
      timeoutMs: 1000,
    });
  });

  it('refuses a timeout under a second and more than 24 cut-offs', () => {
    expect(() => retrainOptionField.parse({ every: '7d', timeoutMs: 999 })).toThrow();
    expect(() => retrainOptionField.parse({ every: '7d', cutoffs: 25 })).toThrow();
    expect(retrainOptionField.parse({ every: '7d', cutoffs: 24, timeoutMs: 1000 })).toMatchObject({ cutoffs: 24, timeoutMs: 1000 });
  });
});
