import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir, runCli } from '../cli/run-cli.js';
import { sharedDataset } from '../support/requirement.js';

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cdnowData = sharedDataset('cdnow');
const cdnow = cdnowData.path;

describe('churnkit bgnbd', () => {
  test('fits a generated storefront and writes per-customer P(alive) and expected purchases with --scores', () => {
    const generated = runCli(['generate', '--customers', '400', '--days', '180', '--seed', '4', '--out', 'store.csv'], dir);
    expect(generated.status, generated.stderr).toBe(0);
    const run = runCli(['bgnbd', '--events', 'store.csv', '--as-of', '2025-05-31', '--json', '--scores', 'scores.csv', '--horizon', '4'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const fit = JSON.parse(run.stdout) as Record<string, number>;
    expect(Object.keys(fit)).toEqual(['r', 'alpha', 'a', 'b', 'loglik', 'customers']);
    for (const name of ['r', 'alpha', 'a', 'b']) expect(fit[name]).toBeGreaterThan(0);
    expect(fit.loglik).toBeLessThan(0);
    const scores = readFileSync(join(dir, 'scores.csv'), 'utf8').trimEnd().split('\n');
    expect(scores[0]).toBe('customer_id,x,t_x,T,p_alive,expected_purchases_4w');
    expect(scores).toHaveLength(fit.customers! + 1);
    for (const line of scores.slice(1)) {
      const [, x, tx, T, alive, expected] = line.split(',').map(Number);
      expect(Number.isInteger(x)).toBe(true);
      expect(tx).toBeLessThanOrEqual(T!);
      expect(alive).toBeGreaterThan(0);
      expect(alive).toBeLessThanOrEqual(1);
      expect(expected).toBeGreaterThanOrEqual(0);
    }
  });

  test('a log without any order before the as-of day is one clear line on stderr (exit 1)', () => {
    writeFileSync(join(dir, 'browsing.csv'), 'customer_id,ts,type\na,2024-01-01T10:00:00Z,page_view\n');
    const run = runCli(['bgnbd', '--events', 'browsing.csv', '--as-of', '2024-02-29'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('churnkit: no customer with an order on or before the as-of day: BG/NBD needs at least one\n');
  });

  test('a malformed --as-of is refused before the log is read, as a usage error (exit 2)', () => {
    const run = runCli(['bgnbd', '--events', 'missing.csv', '--as-of', 'last tuesday'], dir);
    expect(run.status).toBe(2);
    // Not "cannot read the event log": the option is checked first.
    expect(run.stderr).toMatch(/^error: option '--as-of <date>' argument 'last tuesday' is invalid\. expected a date \(1997-09-30\) or an ISO date-time \(1997-09-30T12:00:00Z\), got "last tuesday"\n/);
  });

  test.skipIf(!cdnowData.met)(cdnowData.title('prints the published fit for the CDNOW sample'), () => {
    const run = runCli(['bgnbd', '--events', join(cdnow, 'CDNOW_sample.txt'), '--format', 'cdnow', '--as-of', '1997-09-30', '--json'], dir);
    expect(run.status).toBe(0);
    const fit = JSON.parse(run.stdout) as Record<string, number>;
    expect(fit.customers).toBe(2_357);
    expect(fit.r).toBeCloseTo(0.2426, 3);
    expect(fit.alpha).toBeCloseTo(4.4136, 2);
    expect(fit.a).toBeCloseTo(0.7929, 3);
    expect(fit.b).toBeCloseTo(2.4259, 2);
    expect(fit.loglik).toBeCloseTo(-9582.43, 1);
  });
});

describe('churnkit bgnbd refuses a fit it cannot stand behind', () => {
  /** Every customer orders every week like clockwork: no spread in rates, so no interior maximum. */
  function clockworkLog(): string {
    const lines = ['customer_id,ts,type'];
    for (let customer = 0; customer < 40; customer++) {
      for (let week = 0; week < 20; week++) lines.push(`c${customer},${new Date(Date.UTC(2024, 0, 1) + week * 7 * 86_400_000).toISOString()},order`);
    }
    return `${lines.join('\n')}\n`;
  }

  test('a degenerate or unconverged fit is exit 1 with the parameters and why, and writes no scores', () => {
    writeFileSync(join(dir, 'clockwork.csv'), clockworkLog());
    const run = runCli(['bgnbd', '--events', 'clockwork.csv', '--as-of', '2024-05-31', '--scores', 'clockwork-scores.csv'], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^churnkit: clockwork\.csv: the BG\/NBD fit on 40 customers (did not converge in \d+ likelihood evaluations|ran off towards a limit \(.*outside \[0\.000001, 1000000\]\)): r = /);
    expect(run.stderr).toMatch(/too little repeat buying for BG\/NBD \(--accept-poor-fit prints it anyway\)\n$/);
    expect(existsSync(join(dir, 'clockwork-scores.csv'))).toBe(false);
  });

  test('--accept-poor-fit prints it with a warning', () => {
    const run = runCli(['bgnbd', '--events', 'clockwork.csv', '--as-of', '2024-05-31', '--json', '--accept-poor-fit'], dir);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^churnkit: warning: the BG\/NBD fit on 40 customers/);
    expect(JSON.parse(run.stdout)).toMatchObject({ customers: 40 });
  });
});
