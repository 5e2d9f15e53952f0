/**
 * `churnkit simulate` and `churnkit uplift` as a user runs them: a simulated campaign writes a
 * plugin store and its answer key, uplift models are trained from the store and evaluated
 * against the oracle, and the uplift policy runs on another campaign with those files.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPosition } from '../../src/train/hash-position.js';
import { UPLIFT_SHRINKAGE_PATH } from '../../src/uplift/train-uplift.js';
import { openRedisStore } from '../../plugin/store/redis-store.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import { hasRedisServer, startRedisServer } from '../plugin/store/redis-server.js';
import { decision } from '../plugin/store/store-behaviour.js';
import { makeTempDir, runCli, runCliAsync, writeCustomers } from './run-cli.js';

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MODEL = join(import.meta.dirname, '../../models/storefront.json');
const small = ['--customers', '1000', '--warmup-days', '60', '--days', '12', '--horizon', '20', '--budget', '400', '--holdout', '0.3', '--model', MODEL];

describe('churnkit simulate and churnkit uplift', { timeout: 300_000 }, () => {
  it('simulate writes a plugin store and the answer key, and compares policies on the ground truth', () => {
    const run = runCli(['simulate', '--store', 'sim.sqlite', '--truth', 'truth.csv', '--exploration', '0.1', '--seed', '3', '--compare', 'oracle', 'foresight', ...small], dir);
    expect(run.stderr).toMatch(/simulated 1000 customers over 92 days in [\d.]+ s → sim\.sqlite, truth\.csv/);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^policy\s+decisions\s+treated\s+held out\s+explored\s+spent\s+persuadable\s+sure thing\s+lost cause\s+sleeping dog\s+extra retained$/);
    expect(lines.slice(1, 4).map((line) => line.split(/\s+/)[0])).toEqual(['risk', 'oracle', 'foresight']);
    const truth = readFileSync(join(dir, 'truth.csv'), 'utf8').trim().split('\n');
    expect(truth[0]).toBe(
      'customer_id,considered_at,segment,would_leave,leave_probability,coupon_type,coupon_expected_uplift,free_shipping_type,free_shipping_expected_uplift,care_call_type,care_call_expected_uplift',
    );
    expect(truth[1]).toMatch(/^C\d{6},2025-03-02T\d\d:\d\d:\d\dZ,\w+,[01],[\d.e-]+,(persuadable|sure_thing|lost_cause|sleeping_dog),/);
  });

  it('simulate refuses to write into an existing store', () => {
    const refused = runCli(['simulate', '--store', 'sim.sqlite', ...small], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/sim\.sqlite: the store file already exists; expected a new file/);
  });

  it('simulate scores with the storefront model shipped with churnkit from any folder, and names a --model it cannot read', () => {
    const tiny = small.filter((_, index) => index < small.indexOf('--model'));
    const shipped = runCli(['simulate', '--store', 'shipped.sqlite', '--no-events', '--json', ...tiny], dir);
    expect(shipped.status, shipped.stderr).toBe(0);
    expect(JSON.parse(shipped.stdout).policies[0].decisions).toBeGreaterThan(0);
    const missing = runCli(['simulate', '--store', 'missing.sqlite', ...tiny, '--model', 'nope.json'], dir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`churnkit: ${join(dir, 'nope.json')}: model file not found\n`);
    expect(existsSync(join(dir, 'missing.sqlite'))).toBe(false);
  });

  it('simulate refuses a --model that reads none of the store\'s features, as the plugin does, before creating the store', () => {
    writeCustomers(join(dir, 'customers.csv'), 160);
    const trained = runCli(['train', '--data', 'customers.csv', '--target', 'Churn', '--id', 'CustomerID', '--model', 'logreg', '--epochs', '5', '--out', 'other-table.json'], dir);
    expect(trained.status, trained.stderr).toBe(0);
    const tiny = small.filter((_, index) => index < small.indexOf('--model'));
    const run = runCli(['simulate', '--store', 'misfit.sqlite', ...tiny, '--model', 'other-table.json'], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^churnkit: other-table\.json: the model does not fit the simulated store: \d+ of its \d+ inputs \(100 %\) are not features the store produces, and at most 25 % may be: Tenure, [^\n]+\. Train it on the store's features \(churnkit features\)[^\n]*\n$/,
    );
    expect(existsSync(join(dir, 'misfit.sqlite'))).toBe(false);
  });

  it('uplift trains every method from the store, evaluates them beside the oracle, and writes loadable model files', () => {
    const run = runCli(['uplift', '--store', 'sim.sqlite', '--out', 'models', '--truth', 'truth.csv', '--holdout-fraction', '0.3', '--bootstrap', '30', '--json'], dir);
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.decisions).toBeGreaterThan(200);
    const coupon = summary.reports.filter((report: { action: string }) => report.action === 'coupon');
    expect(coupon.map((report: { method: string }) => report.method)).toEqual(['t-learner', 'class-transformation', 'dr-learner', 'oracle']);
    for (const report of coupon) {
      expect(report.treatmentProbability).toBeCloseTo(0.7, 12);
      // No --lr or --l2: each method's rate and L2 were chosen on the log, and say so.
      if (report.method !== 'oracle') expect(UPLIFT_SHRINKAGE_PATH).toContainEqual(report.shrinkage);
      expect(report.evaluation.share).toHaveLength(101);
      expect(report.evaluation.qini).toHaveLength(101);
      expect(report.evaluation.bands.coefficient.low).toBeLessThanOrEqual(report.evaluation.coefficient);
      expect(report.evaluation.bands.coefficient.high).toBeGreaterThanOrEqual(report.evaluation.coefficient);
    }
    writeFileSync(join(dir, 'uplift.json'), run.stdout);
    expect(coupon[0].files).toEqual(['models/t-learner/coupon.treatment.json', 'models/t-learner/coupon.control.json']);
    expect(readdirSync(join(dir, 'models', 'class-transformation'))).toContain('coupon.transformed.json');
    expect(readdirSync(join(dir, 'models', 'dr-learner'))).toContain('coupon.pseudo-outcome.json');
    const table = runCli(['uplift', '--store', 'sim.sqlite', '--out', 'models-2', '--bootstrap', '20', '--methods', 't-learner'], dir);
    expect(table.stdout).toMatch(/logged decisions with outcomes \(0 still without an outcome, 0 without features\)/);
    expect(table.stdout).toMatch(/^coupon\s+t-learner\s+\d+\/\d+\s+\d+\/\d+\s+-?[\d.]+ \[-?[\d.]+, -?[\d.]+\]/m);
  });

  it("report --uplift draws each action's Qini and uplift-at-k curves from what uplift --json printed, oracle beside", () => {
    writeCustomers(join(dir, 'train.csv'), 300);
    writeCustomers(join(dir, 'test.csv'), 120);
    const trained = runCli(['train', '--data', 'train.csv', '--target', 'Churn', '--id', 'CustomerID', '--epochs', '5', '--out', 'churn.json'], dir);
    expect(trained.status, trained.stderr).toBe(0);
    const run = runCli(['report', '--model', 'churn.json', '--data', 'test.csv', '--uplift', 'uplift.json', '--out', 'report.html', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const { uplift } = JSON.parse(run.stdout);
    expect(uplift.store).toBe('sim.sqlite');
    const coupon = uplift.actions.find((entry: { action: string }) => entry.action === 'coupon');
    expect(coupon.methods.map((entry: { method: string }) => entry.method)).toEqual(['t-learner', 'class-transformation', 'dr-learner', 'oracle']);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('Which customers the actions change (uplift)');
    expect(html).toContain('<code>sim.sqlite</code>');
    for (const [index, entry] of uplift.actions.entries()) {
      if (entry.methods.length === 0) continue;
      expect(html).toContain(`id="chart-qini-${index}"`);
      expect(html).toContain(`Qini curves: ${entry.action}`);
    }
    expect(html).toContain('oracle (Qini ');
  });

  it('report --uplift refuses a file that is not uplift --json output, before scoring anything', () => {
    writeFileSync(join(dir, 'not-uplift.json'), JSON.stringify({ store: 'x', decisions: 3, reports: [{ action: 'coupon', method: 't-learner', test: { treated: 2, control: 1 }, evaluation: { share: [0, 1], qini: [0] } }] }));
    const run = runCli(['report', '--model', 'churn.json', '--data', 'test.csv', '--uplift', 'not-uplift.json', '--out', 'bad.html'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('not-uplift.json: reports[0] ("coupon", t-learner) has a malformed "evaluation"; expected what "churnkit uplift --json" prints');
    expect(existsSync(join(dir, 'bad.html'))).toBe(false);
  });

  it('the uplift policy runs on the files churnkit uplift wrote', () => {
    const run = runCli(['simulate', '--store', 'with-uplift.sqlite', '--no-events', '--json', '--seed', '4', '--policy', 'uplift', '--uplift-models', 'models/t-learner', '--min-decisions', '50', ...small], dir);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ seed: 4, customers: 1000, holdoutFraction: 0.3, policies: [{ name: 'uplift' }] });
    expect(result.policies[0].decisions).toBeGreaterThan(0);
    expect(result.policies[0].spent).toBeLessThanOrEqual(400 * 12);
  });

  it('uplift refuses a log without a hold-out (holdoutFraction 0), naming the action and what to do', () => {
    const simulated = runCli(['simulate', '--store', 'no-holdout.sqlite', '--no-events', ...small.filter((_, index) => index < small.indexOf('--holdout')), '--holdout', '0', '--model', MODEL], dir);
    expect(simulated.status, simulated.stderr).toBe(0);
    const run = runCli(['uplift', '--store', 'no-holdout.sqlite', '--out', 'no-holdout-models'], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^churnkit: no-holdout\.sqlite: action "\w+": its \d+ decisions have no hold-out arm \(every one was acted on\), so its uplift cannot be learned: keep a hold-out share \(the plugin's policy\.holdoutFraction above 0, churnkit simulate --holdout above 0\)[^\n]*\n$/,
    );
    expect(run.stderr).not.toMatch(/treatmentProbability/);
    expect(existsSync(join(dir, 'no-holdout-models'))).toBe(false);
  });

  it('uplift trains the actions that have both arms and reports the others as skipped, saying why', async () => {
    const store = openSqliteStore({ dataDir: dir, fileName: 'mixed.sqlite' });
    const day = 86_400_000;
    const start = Date.now() - 100 * day;
    for (let i = 0; i < 400; i++) {
      // coupon: a quarter held out; care_call: every decision acted on.
      const action = i % 2 === 0 ? 'coupon' : 'care_call';
      const group = action === 'coupon' && i % 8 === 0 ? 'holdout' : 'treatment';
      const ts = start + i * 1000;
      const features = { orders: i % 7, days_since_last_order: (i * 13) % 30 };
      await store.recordDecision(
        { customerId: `c${i}`, ts, day: new Date(ts).toISOString().slice(0, 10), modelVersion: 'test', probability: 0.5, customerValue: 100, group, action, cost: group === 'holdout' ? 0 : 10, expectedValues: { [action]: 5 }, skipped: {}, explanation: 'test', features },
        Infinity,
      );
      await store.recordOutcome({ customerId: `c${i}`, ts: ts + 50 * day, retained: (i * 7) % 3 !== 0, action, group });
    }
    await store.close();
    const run = runCli(['uplift', '--store', 'mixed.sqlite', '--out', 'mixed-models', '--methods', 't-learner', '--bootstrap', '10', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const reports = JSON.parse(run.stdout).reports as { action: string; files: string[]; error?: string }[];
    expect(reports.map((report) => report.action)).toEqual(['care_call', 'coupon']);
    expect(reports[0]!.files).toEqual([]);
    expect(reports[0]!.error).toMatch(/^skipped: action "care_call": its 200 decisions have no hold-out arm \(every one was acted on\), so its uplift cannot be learned: keep a hold-out share/);
    expect(reports[1]!.error).toBeUndefined();
    expect(reports[1]!.files).toEqual(['mixed-models/t-learner/coupon.treatment.json', 'mixed-models/t-learner/coupon.control.json']);
  });

  it("uplift removes its method's files of an earlier run that it did not write again, so the plugin never loads a stale model beside the new ones", () => {
    // An earlier run learned care_call (it had a hold-out then); today it is skipped.
    const folder = join(dir, 'mixed-models/t-learner');
    writeFileSync(join(folder, 'care_call.treatment.json'), '{}');
    writeFileSync(join(folder, 'care_call.control.json'), '{}');
    writeFileSync(join(folder, 'notes.txt'), 'kept');
    mkdirSync(join(dir, 'mixed-models/dr-learner'), { recursive: true });
    writeFileSync(join(dir, 'mixed-models/dr-learner/care_call.pseudo-outcome.json'), '{}');
    const run = runCli(['uplift', '--store', 'mixed.sqlite', '--out', 'mixed-models', '--methods', 't-learner', '--bootstrap', '10'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /\nremoved 2 model files of an earlier run that this one did not write again: mixed-models\/t-learner\/care_call\.control\.json, mixed-models\/t-learner\/care_call\.treatment\.json\n$/,
    );
    expect(readdirSync(folder).sort()).toEqual(['coupon.control.json', 'coupon.treatment.json', 'notes.txt']);
    // Another method's folder is not this run's to clean.
    expect(existsSync(join(dir, 'mixed-models/dr-learner/care_call.pseudo-outcome.json'))).toBe(true);
  });

  /** Logs `rows` decisions of each action into a new SQLite store, the first `heldOut` of each held out, with outcomes. */
  async function logDecisions(fileName: string, actions: readonly { name: string; rows: number; heldOut: number }[]): Promise<void> {
    const store = openSqliteStore({ dataDir: dir, fileName });
    const day = 86_400_000;
    const start = Date.now() - 100 * day;
    let logged = 0;
    for (const { name: action, rows, heldOut } of actions) {
      for (let i = 0; i < rows; i++) {
        const customerId = `c${logged}`;
        const group = i < heldOut ? 'holdout' : 'treatment';
        const ts = start + logged++ * 1000;
        const features = { orders: i % 7, days_since_last_order: (i * 13) % 30 };
        await store.recordDecision(
          { customerId, ts, day: new Date(ts).toISOString().slice(0, 10), modelVersion: 'test', probability: 0.5, customerValue: 100, group, action, cost: group === 'holdout' ? 0 : 10, expectedValues: { [action]: 5 }, skipped: {}, explanation: 'test', features },
          Infinity,
        );
        await store.recordOutcome({ customerId, ts: ts + 50 * day, retained: group === 'holdout' ? i % 2 === 0 : (i * 7) % 3 !== 0, action, group });
      }
    }
    await store.close();
  }

  it('uplift evaluates nothing on test customers of one arm, rather than a Qini that is the other arm\'s retention, and still writes the files', async () => {
    const heldOut = 24;
    await logDecisions('few-held-out.sqlite', [{ name: 'coupon', rows: 300, heldOut }]);
    // A seed whose test tenth holds none of the held-out customers (the split of src/uplift/test-split.ts).
    const seed = Array.from({ length: 500 }, (_, index) => index + 1).find((candidate) =>
      Array.from({ length: heldOut }, (_, i) => hashPosition(`${candidate}\u0000c${i}`)).every((position) => position >= 0.1),
    )!;
    const run = runCli(['uplift', '--store', 'few-held-out.sqlite', '--out', 'few-held-out-models', '--methods', 't-learner', '--test-share', '0.1', '--seed', String(seed), '--bootstrap', '10', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const [report] = JSON.parse(run.stdout).reports;
    expect(report.test.control).toBe(0);
    expect(report.test.treated).toBeGreaterThan(0);
    expect(report.evaluation).toBeNull();
    expect(report.error).toBe(
      `not evaluated: the test customers have no held-out decision (${report.test.treated} treated, 0 held out), so no uplift can be measured on them; raise --test-share, or try another --seed`,
    );
    expect(report.files).toEqual(['few-held-out-models/t-learner/coupon.treatment.json', 'few-held-out-models/t-learner/coupon.control.json']);
  });

  it('uplift still writes the files of an action whose test share leaves too few held-out decisions to train the evaluation on, saying why it is not evaluated', async () => {
    // 24 held-out decisions: enough for the files (20 per arm), not once 30 % are kept for testing.
    await logDecisions('tight-held-out.sqlite', [{ name: 'coupon', rows: 300, heldOut: 24 }]);
    const run = runCli(['uplift', '--store', 'tight-held-out.sqlite', '--out', 'tight-models', '--methods', 't-learner', '--bootstrap', '10', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const [report] = JSON.parse(run.stdout).reports;
    expect(report.train.control).toBeLessThan(20);
    expect(report.evaluation).toBeNull();
    expect(report.error).toBe(
      `not evaluated: once --test-share 0.3 is kept out, the customers left cannot train it: action "coupon": ${report.train.control} held-out decisions with outcomes; expected at least 20 in each arm; lower --test-share, or log more decisions`,
    );
    expect(report.files).toEqual(['tight-models/t-learner/coupon.treatment.json', 'tight-models/t-learner/coupon.control.json']);
  });

  it('uplift writes no file for an action named in a way policy.actions refuses, so a store\'s "../" cannot write outside --out; a method named twice runs once', async () => {
    await logDecisions('odd-names.sqlite', [
      { name: '../../escaped', rows: 200, heldOut: 60 },
      { name: 'a/b', rows: 200, heldOut: 60 },
      { name: 'coupon', rows: 200, heldOut: 60 },
    ]);
    // A method named twice is trained and reported once.
    const run = runCli(['uplift', '--store', 'odd-names.sqlite', '--out', 'odd/models', '--methods', 't-learner', 't-learner', '--bootstrap', '10', '--json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const reports = JSON.parse(run.stdout).reports as { action: string; files: string[]; error?: string }[];
    expect(reports.map((report) => [report.action, report.files])).toEqual([
      ['../../escaped', []],
      ['a/b', []],
      ['coupon', ['odd/models/t-learner/coupon.treatment.json', 'odd/models/t-learner/coupon.control.json']],
    ]);
    expect(reports[0]!.error).toBe(
      'skipped: action "../../escaped" is not a name policy.actions takes (1-40 letters, digits, "_" or "-"), so no policy could use its model and its files cannot be named after it',
    );
    expect(existsSync(join(dir, 'odd', 'escaped.treatment.json'))).toBe(false);
    expect(readdirSync(join(dir, 'odd/models/t-learner')).sort()).toEqual(['coupon.control.json', 'coupon.treatment.json']);
  });

  it('uplift refuses, writing nothing, a log whose every action is skipped, some for their names and the others for a missing arm', async () => {
    await logDecisions('nothing-to-learn.sqlite', [
      { name: 'a/b', rows: 200, heldOut: 60 },
      { name: 'coupon', rows: 200, heldOut: 0 },
    ]);
    const run = runCli(['uplift', '--store', 'nothing-to-learn.sqlite', '--out', 'nothing-models', '--json'], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^churnkit: nothing-to-learn\.sqlite: no action's uplift can be learned: action "a\/b" is not a name policy\.actions takes .*; action "coupon": its 200 decisions have no hold-out arm/);
    expect(existsSync(join(dir, 'nothing-models'))).toBe(false);
  });

  it('explains what is wrong with the inputs', () => {
    const noModels = runCli(['simulate', '--store', 'x.sqlite', '--policy', 'uplift', ...small], dir);
    expect(noModels.stderr).toMatch(/the uplift policy needs --uplift-models/);
    expect(existsSync(join(dir, 'x.sqlite'))).toBe(false);
    const noStore = runCli(['uplift', '--store', 'missing.sqlite', '--out', 'm'], dir);
    expect(noStore.stderr).toMatch(/missing\.sqlite: store file not found/);
    writeFileSync(join(dir, 'plain.json'), readFileSync(MODEL));
    const plain = runCli(['simulate', '--store', 'y.sqlite', '--policy', 'uplift', '--uplift-models', 'plain.json', ...small], dir);
    expect(plain.stderr).toMatch(/plain\.json: not an uplift model/);
    expect(plain.status).toBe(1);
    // churnkit uplift's --out holds a folder per method, not the files: no uplift policy without its models.
    const outFolder = runCli(['simulate', '--store', 'z.sqlite', '--policy', 'uplift', '--uplift-models', 'models', ...small], dir);
    expect(outFolder.stderr).toMatch(/^churnkit: models: the folder holds no model files \(\.json\); churnkit uplift writes each method's files in a folder of its own under --out: pass one of those \(e\.g\. models\/dr-learner\)\n$/);
    expect(outFolder.status).toBe(1);
    expect(existsSync(join(dir, 'z.sqlite'))).toBe(false);
  });

  it.skipIf(!hasRedisServer())('uplift reads a Redis store under its --key-prefix', async () => {
    const redis = await startRedisServer();
    try {
      const store = await openRedisStore({ url: redis.url, keyPrefix: 'shop1:' });
      await store.recordDecision(decision({ customerId: 'c1' }), 100);
      await store.recordOutcome({ customerId: 'c1', ts: Date.now(), retained: true });
      await store.close();
      const prefixed = await runCliAsync(['uplift', '--store', redis.url, '--key-prefix', 'shop1:', '--out', 'redis-models'], dir);
      expect(prefixed.status).toBe(1);
      expect(prefixed.stderr).toMatch(/no logged decisions with features and outcomes to learn from \(0 without an outcome yet, 1 logged without features/);
      const unprefixed = await runCliAsync(['uplift', '--store', redis.url, '--out', 'redis-models'], dir);
      expect(unprefixed.stderr).toMatch(/\(0 without an outcome yet, 0 logged without features/);
    } finally {
      await redis.stop();
    }
  });
});
