/**
 * The plugin's scheduled retraining, off the request path: every `every`, a child process runs
 * the CLI bundle's `churnkit retrain` on the plugin's store with the serving model as
 * champion, at a lower CPU priority than the storefront. The storefront's event loop only
 * waits for the child's exit; when the summary says the challenger won, the challenger file
 * goes through the same path as `PUT /model` (parsed, verified, loaded, checked against the
 * store, kept where swapped models are kept) before it serves. One run at a time; `stop()`
 * ends the timer and the run under way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RetrainSummary } from '../../src/retrain/retrain-summary.js';
import { ChurnkitError, OptionsError } from '../../src/errors.js';
import type { ChurnModel } from '../../src/model/churn-model.js';
import { kernelFiles } from '../../src/node/index.js';
import { lowerProcessPriority } from '../background-priority.node.js';
import type { PluginContext } from '../context.js';
import { reportError } from '../error-report.js';
import { replaceServingModelIf } from '../routes/model.js';
import type { RetrainSettings } from './retrain-options.js';
import type { RetrainRun } from './retrain-run.js';
import type { ServingModel } from '../serving-model.js';

export interface RetrainScheduler {
  /** Runs a retrain now, or joins the one under way (never two at once). Rejects with why a run failed. */
  runNow(): Promise<RetrainRun>;
  /** Stops the schedule and the run under way (its child process is ended); resolves once it has exited. */
  stop(): Promise<void>;
}

/** Where each run's outcome goes besides `retrain.onRun` and `onError`: the metrics. */
export interface RetrainReports {
  finished(run: RetrainRun): void;
  failed(error: unknown): void;
}

/** The longest delay `setTimeout` keeps (about 24.8 days); a longer `every` waits in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The last bytes of the child's stderr kept for an error message. */
const STDERR_TAIL = 2000;

/**
 * The `churnkit` CLI bundle of this package (`dist/cli/churnkit.js` beside `build/`), which
 * runs the retrain. A build without it cannot retrain: an `OptionsError` at construction.
 */
export function retrainCommand(): string {
  const cli = join(dirname(dirname(kernelFiles().simd)), 'dist', 'cli', 'churnkit.js');
  if (!existsSync(cli)) throw new OptionsError('PLUGIN_OPTIONS', `churn() option "retrain": the churnkit CLI bundle is missing (${cli}); run "npm run build"`);
  return cli;
}

/**
 * Starts the schedule: the first run one `every` after now.
 *
 * @example
 * const scheduler = scheduleRetraining(settings, serving.context, retrainCommand(), reports);
 * const run = await scheduler.runNow();
 * await scheduler.stop();
 */
export function scheduleRetraining(settings: RetrainSettings, context: PluginContext, cli: string, reports: RetrainReports): RetrainScheduler {
  let running: Promise<RetrainRun> | null = null;
  let child: ChildProcess | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const runNow = (): Promise<RetrainRun> => {
    if (stopped) return Promise.reject(new ChurnkitError('RETRAIN_STOPPED', 'the plugin was closed: no more retraining'));
    running ??= retrainOnce(settings, context, cli, (started) => {
      child = started;
      // Closed while the run was preparing: the child ends before it reads anything.
      if (stopped) started.kill('SIGTERM');
    })
      .then(
        (run) => {
          reports.finished(run);
          notify(settings.onRun, run, context);
          return run;
        },
        (error: unknown) => {
          // Closing the plugin ends the run on purpose: not a failure to report.
          if (!stopped) {
            reports.failed(error);
            reportError(context.onError, error, { code: error instanceof ChurnkitError ? error.code : 'RETRAIN_FAILED', customerId: null });
          }
          throw error;
        },
      )
      .finally(() => {
        running = null;
        child = null;
      });
    return running;
  };

  const wait = (remainingMs: number) => {
    timer = setTimeout(() => {
      if (remainingMs > MAX_TIMER_MS) return wait(remainingMs - MAX_TIMER_MS);
      // A run still going when the next is due is left to finish: the next tick comes one `every` later.
      if (running === null) runNow().catch(() => undefined);
      wait(settings.everyMs);
    }, Math.min(remainingMs, MAX_TIMER_MS));
    // The schedule never keeps a process alive on its own.
    timer.unref();
  };
  wait(settings.everyMs);

  return {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const under = running;
      child?.kill('SIGTERM');
      await under?.catch(() => undefined);
    },
  };
}

/** One run: the champion's file out, `churnkit retrain` in a child process, the challenger in if it won. */
async function retrainOnce(settings: RetrainSettings, context: PluginContext, cli: string, started: (child: ChildProcess) => void): Promise<RetrainRun> {
  const startedAt = new Date();
  const folder = settings.outDir === undefined ? await mkdtemp(join(tmpdir(), 'churnkit-retrain-')) : join(settings.outDir, startedAt.toISOString().replace(/[:.]/g, '-'));
  try {
    await mkdir(folder, { recursive: true });
    const champion = await context.slot.current();
    if (!hasModelFile(champion)) {
      throw new ChurnkitError('RETRAIN_NO_CHAMPION_FILE', `the serving model ${champion.version} is not one churnkit loaded from a model file, so the retrain process cannot compare it`);
    }
    const championFile = join(folder, 'champion.json');
    await writeFile(championFile, JSON.stringify(champion.toFile()));
    const args = [
      cli,
      'retrain',
      '--store',
      settings.store,
      ...(settings.keyPrefix === undefined ? [] : ['--key-prefix', settings.keyPrefix]),
      '--champion',
      championFile,
      '--out',
      folder,
      '--min-gain',
      String(settings.minGain),
      ...settings.flags,
      '--json',
    ];
    const summary = JSON.parse(await runChild(args, settings.timeoutMs, started)) as RetrainSummary;
    const promoted = summary.decision === 'promote' && (await promote(context, summary, join(folder, 'challenger.json')));
    const seconds = (Date.now() - startedAt.getTime()) / 1000;
    return {
      startedAt: startedAt.toISOString(),
      seconds,
      decision: summary.decision,
      promoted,
      champion: { version: summary.champion.version, auc: summary.champion.metrics.auc },
      challenger: { version: summary.challenger.version, auc: summary.challenger.metrics.auc },
      gain: summary.gain,
      minGain: summary.minGain,
      folder: settings.outDir === undefined ? null : folder,
      message: describeRun(summary, promoted, seconds),
      summary,
    };
  } finally {
    if (settings.outDir === undefined) await rm(folder, { recursive: true, force: true });
  }
}

/** Runs the CLI and resolves with its stdout; a non-zero exit or the timeout is a `ChurnkitError` with the end of its stderr. */
function runChild(args: string[], timeoutMs: number, started: (child: ChildProcess) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    started(child);
    // Below the storefront's priority, so requests win a busy core.
    if (child.pid !== undefined) lowerProcessPriority(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL)));
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    timeout.unref();
    child.on('error', (error) => {
      clearTimeout(timeout);
      reject(new ChurnkitError('RETRAIN_FAILED', `could not start the retrain process: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      if (code === 0) return resolve(stdout.trim().split('\n').at(-1) ?? '');
      const why = timedOut ? `took longer than retrain.timeoutMs (${timeoutMs} ms) and was stopped` : signal !== null ? `was ended by ${signal}` : `exited with code ${code}`;
      reject(new ChurnkitError(timedOut ? 'RETRAIN_TIMEOUT' : 'RETRAIN_FAILED', `churnkit retrain ${why}: ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}

/**
 * Swaps the winning challenger in as `PUT /model` would, if the model it was compared with
 * still serves when the swap's turn comes (an operator may have swapped another in meanwhile,
 * even while the challenger was loading: that one was never compared). A refusal is reported
 * to `onError`; the serving model stays.
 */
async function promote(context: PluginContext, summary: RetrainSummary, challengerFile: string): Promise<boolean> {
  const servingNow = { version: null as string | null };
  const stillCompared = (version: string | null) => (servingNow.version = version) === summary.champion.version;
  const answer = await replaceServingModelIf(context, JSON.parse(await readFile(challengerFile, 'utf8')), stillCompared);
  if (answer === null) {
    reportError(context.onError, new ChurnkitError('RETRAIN_CHAMPION_CHANGED', `the challenger ${summary.challenger.version} beat ${summary.champion.version}, but ${servingNow.version ?? 'no model'} serves now: not promoted`), {
      code: 'RETRAIN_CHAMPION_CHANGED',
      customerId: null,
    });
    return false;
  }
  if (answer.status === 200) return true;
  const refusal = (answer.body as { error?: { code?: string; message?: string } }).error;
  reportError(context.onError, new ChurnkitError('RETRAIN_PROMOTE_REFUSED', `the challenger ${summary.challenger.version} won but was refused (${refusal?.code ?? answer.status}): ${refusal?.message ?? ''}`), {
    code: 'RETRAIN_PROMOTE_REFUSED',
    customerId: null,
  });
  return false;
}

/** A model churnkit loaded from a file (a storefront's own `ServingModel` object has none to hand the retrain process). */
function hasModelFile(model: ServingModel): model is ServingModel & Pick<ChurnModel, 'toFile'> {
  return typeof (model as Partial<ChurnModel>).toFile === 'function';
}

function notify(onRun: RetrainSettings['onRun'], run: RetrainRun, context: PluginContext): void {
  if (onRun === undefined) return;
  try {
    onRun(run);
  } catch (error) {
    reportError(context.onError, error, { code: 'RETRAIN_HOOK_ERROR', customerId: null });
  }
}

function describeRun(summary: RetrainSummary, promoted: boolean, seconds: number): string {
  const gain = `${summary.gain >= 0 ? '+' : ''}${summary.gain.toFixed(4)}`;
  const models = `${summary.challenger.version} (ROC AUC ${summary.challenger.metrics.auc.toFixed(4)}) against ${summary.champion.version} (${summary.champion.metrics.auc.toFixed(4)}) on ${summary.evaluation.rows} customers`;
  const verdict = promoted ? 'promoted' : summary.decision === 'promote' ? 'won but was not promoted (see onError)' : 'kept the serving model';
  const margin = summary.decision === 'promote' ? `gain ${gain} ≥ ${summary.minGain}` : `gain ${gain} < ${summary.minGain}`;
  return `retrain: ${verdict}: ${models}, ${margin}, in ${seconds.toFixed(1)} s`;
}
