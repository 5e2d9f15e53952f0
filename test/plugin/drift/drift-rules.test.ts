/**
 * Rules of the drift monitor and its rolling window that a mutation audit found no test
 * guarding: the window's counts always add up to the observations it reports and hold only
 * the newest ones, never more than the window and at least four fifths of it,
 * the PSI is given from exactly `minObservations` on, and the bins are labelled as counted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createDriftMonitor, type DriftEntry } from '../../../plugin/drift/drift-monitor.js';
import { RollingCounts } from '../../../plugin/drift/rolling-counts.js';
import type { ExplainableChurnModel } from '../../../src/explain/explainable.js';
import { loadEngine } from '../../../src/node/index.js';
import { train } from '../../../src/train/train.js';
import { createRandom } from '../../../src/train/random.js';
import { syntheticCustomers } from '../../model/synthetic-customers.js';

const rows = syntheticCustomers(300, 5);
let model: ExplainableChurnModel;

beforeAll(async () => {
  const engine = await loadEngine();
  model = (await train(rows, { engine, target: 'Churn', id: 'CustomerID', model: 'logreg', epochs: 5, seed: 1, version: 'champion' })).model;
});

const failOnError = (error: unknown) => {
  throw error;
};

/** One observation into `bin` of the current block, as the monitor counts it. */
function add(rolling: RollingCounts, bin: number): void {
  rolling.counts[rolling.base() + bin]!++;
  rolling.added();
}

const sum = (values: Float64Array) => values.reduce((total, value) => total + value, 0);

describe('RollingCounts', () => {
  it('keeps bin totals that add up to its observations at every step, and only the newest of them', () => {
    const rolling = new RollingCounts(2, 100);
    // 150 observations in bin 0, then 150 in bin 1: the window ends up holding bin 1 only.
    for (let i = 0; i < 300; i++) {
      add(rolling, i < 150 ? 0 : 1);
      // A cleared block leaves the totals and the count of observations together; nothing stale lingers.
      expect(sum(rolling.totals(0, 2))).toBe(rolling.observations());
    }
    expect(rolling.observations()).toBe(90);
    expect([...rolling.totals(0, 2)]).toEqual([0, 90]);
  });

  it('never holds more than the window, and at least four fifths of it (nine tenths of a multiple of ten), at every step', () => {
    for (const window of [10, 11, 15, 19, 25, 99, 100, 1001, 5000]) {
      const rolling = new RollingCounts(1, window);
      const lowest = window % 10 === 0 ? 0.9 * window : 0.8 * window;
      for (let i = 1; i <= 3 * window; i++) {
        add(rolling, 0);
        const where = `window ${window}, step ${i}`;
        expect(rolling.observations(), where).toBeLessThanOrEqual(Math.min(i, window));
        if (i >= window) expect(rolling.observations(), where).toBeGreaterThanOrEqual(lowest);
      }
    }
  });
});

describe('createDriftMonitor rules', () => {
  it('gives a PSI from exactly minObservations customers on', () => {
    const monitor = createDriftMonitor({ window: 1000, sample: 1, minObservations: 50 }, failOnError);
    for (const row of rows.slice(0, 50)) monitor.observe(model, row, model.predict(row));
    const report = monitor.report(model);
    expect(report.observations).toBe(50);
    expect(report.score!.psi).not.toBeNull();
    expect(report.features.every((entry) => entry.psi !== null)).toBe(true);
  });

  it('gives a column of many categories no PSI until the window holds enough customers for its bins: an unchanged population never reads as drift', async () => {
    // 50 cities, each 2% of the rows: over n customers an unchanged population reads about 49/n.
    const withCity = syntheticCustomers(2000, 3).map((row, index) => ({ ...row, City: `city-${index % 50}` }));
    const engine = await loadEngine();
    const cities = (await train(withCity, { engine, target: 'Churn', id: 'CustomerID', model: 'logreg', epochs: 2, seed: 1 })).model;
    const monitor = createDriftMonitor({ window: 5000, sample: 1, minObservations: 200 }, failOnError);
    const random = createRandom(11);
    const observe = (count: number) => {
      for (let i = 0; i < count; i++) {
        const row = withCity[random.nextInt(withCity.length)]!;
        monitor.observe(cities, row, cities.predict(row));
      }
    };
    observe(250);
    const city = () => monitor.report(cities).features.find((entry) => entry.feature === 'City')!;
    // 50 bins need 200 · 49 / 10 = 980 customers for the noise a column of deciles has at 200.
    expect(city()).toMatchObject({ type: 'categorical', psi: null, band: null, minObservations: 980 });
    expect(monitor.report(cities).features.find((entry) => entry.feature === 'CashbackAmount')).toMatchObject({ minObservations: 200, band: expect.any(String) });
    observe(1250);
    expect(city().band).toBe('stable');
  });

  it('labels each bin as it is counted: a boolean column\'s "true" bin holds the customers whose value is true', () => {
    const monitor = createDriftMonitor({ window: 1000, sample: 1, minObservations: 1 }, failOnError);
    const complaining = rows.filter((row) => row.Complain === 'yes');
    expect(complaining.length).toBeGreaterThan(0);
    for (const row of complaining) monitor.observe(model, row, model.predict(row));
    const complain = monitor.report(model).features.find((entry) => entry.feature === 'Complain')!;
    expect(complain.type).toBe('boolean');
    expect(complain.bins.map(({ label, actual }) => [label, actual])).toEqual([['false', 0], ['true', 1], ['missing', 0]]);
  });

  /** The test model with `change` made to its reference, as a hand-edited file would carry it. */
  const withReference = (change: (reference: NonNullable<typeof model.metadata.reference>) => typeof model.metadata.reference) =>
    ({ version: model.version, featureSpec: model.featureSpec, metadata: { ...model.metadata, reference: change(model.metadata.reference!) } }) as unknown as ExplainableChurnModel;

  it('measures nothing against a reference whose shares do not add up to 1, and says why: traffic just like the training rows would read as drifted', () => {
    const halved = withReference((reference) => ({ ...reference, columns: reference.columns.map((entry, index) => (index === 0 ? { ...entry, shares: entry.shares.map((share) => share / 2) } : entry)) }));
    const noScores = withReference((reference) => ({ ...reference, score: { ...reference.score, shares: reference.score.shares.map(() => 0) } }));
    for (const [serving, where] of [[halved, /"metadata\.reference\.columns\[0\]" \("[^"]+"\) has shares adding up to 0\.5\d*; expected 1/], [noScores, /"metadata\.reference\.score" has shares adding up to 0; expected 1/]] as const) {
      const monitor = createDriftMonitor({ window: 1000, sample: 1, minObservations: 1 }, failOnError);
      for (const row of rows.slice(0, 20)) monitor.observe(serving, row, model.predict(row));
      const report = monitor.report(serving);
      expect(report).toMatchObject({ available: false, observations: 0, score: null, features: [] });
      expect(report.reason).toMatch(/^the serving model's reference distribution cannot be compared with: /);
      expect(report.reason).toMatch(where);
    }
    // Six decimals each, as train writes them: rounding never trips it.
    expect(createDriftMonitor({ window: 1000, sample: 1, minObservations: 1 }, failOnError).report(model).available).toBe(true);
  });

  it('measures nothing against a share of missing cells on a numeric column without a missing indicator: the model reads them as the median, so no live customer fills that bin', () => {
    const plain = model.featureSpec.columns.findIndex((column) => column.type === 'numeric' && !column.missingIndicator);
    expect(plain).toBeGreaterThanOrEqual(0);
    // A tenth of the rows moved from the first bin to the missing one: the shares still add up to 1.
    const moved = withReference((reference) => ({
      ...reference,
      columns: reference.columns.map((entry, index) => (index === plain ? { ...entry, shares: entry.shares.map((share, bin) => (bin === 0 ? share - 0.1 : bin === entry.shares.length - 1 ? 0.1 : share)) } : entry)),
    }));
    expect(moved.metadata.reference!.columns[plain]!.shares[0]).toBeGreaterThanOrEqual(0);
    const report = createDriftMonitor({ window: 1000, sample: 1, minObservations: 1 }, failOnError).report(moved);
    expect(report.available).toBe(false);
    expect(report.reason).toMatch(/gives missing cells a share, 0\.1, but the model has no missing indicator for them and reads a missing cell as the median; expected 0/);
  });

  it('names every range bin apart, with the decimals its edges need: scores a tenth of a thousandth apart are not all "0.010"', () => {
    const reference = model.metadata.reference!;
    const lowScores = { ...reference, score: { edges: [0.0101, 0.0103, 0.0105], shares: [0.25, 0.25, 0.25, 0.25] } };
    const serving = { version: model.version, featureSpec: model.featureSpec, metadata: { ...model.metadata, reference: lowScores } } as unknown as ExplainableChurnModel;
    const monitor = createDriftMonitor({ window: 1000, sample: 1, minObservations: 1 }, failOnError);
    expect(monitor.report(serving).score!.bins.map((bin) => bin.label)).toEqual(['≤ 0.0101', '0.0101 – 0.0103', '0.0103 – 0.0105', '> 0.0105']);
  });

  it('labels range bins edge to edge: each range starts where the one before it ended', () => {
    const monitor = createDriftMonitor({ window: 1000, sample: 1, minObservations: 1 }, failOnError);
    for (const row of rows.slice(0, 20)) monitor.observe(model, row, model.predict(row));
    const report = monitor.report(model);
    const ranges = (entry: DriftEntry) => entry.bins.map((bin) => bin.label).filter((label) => label !== 'missing');
    for (const labels of [ranges(report.score!), ...report.features.filter((entry) => entry.type === 'numeric').map(ranges)]) {
      expect(labels.length).toBeGreaterThan(2);
      // "≤ a", "a – b", "b – c", …, "> z": a gap or an overlap would misname where customers were counted.
      let upper = labels[0]!.replace(/^≤ /, '');
      for (const label of labels.slice(1, -1)) {
        const [from, to] = label.split(' – ');
        expect(from).toBe(upper);
        upper = to!;
      }
      expect(labels.at(-1)).toBe(`> ${upper}`);
    }
  });
});
