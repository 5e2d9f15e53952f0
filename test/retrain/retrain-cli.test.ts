/**
 * `churnkit retrain` as an operator runs it: on the SQLite file of a demo store whose customers'
 * behaviour drifted after the shipped model was trained, with the shipped model as champion.
 * The challenger must win out of time and be promoted, to a file and to a running server.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { churn } from '../../plugin/express/index.js';
import { openRedisStore } from '../../plugin/store/redis-store.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import type { ChurnEvent } from '../../src/events/types.js';
import type { RetrainSummary } from '../../src/retrain/retrain-summary.js';
import { makeTempDir, runCli, runCliAsync } from '../cli/run-cli.js';
import { ADMIN_TOKEN } from '../plugin/plugin-app.js';
import { hasRedisServer, startRedisServer } from '../plugin/store/redis-server.js';
import { seedDriftedDataDir, SHIPPED_MODEL } from './drifted-store.js';
import { smallShopEvents } from './small-shop.js';
import { listenStorefront } from './listening-storefront.js';

const DAY = 86_400_000;

describe('churnkit retrain on a drifted demo store', () => {
  let dir: string;
  let serverUrl: string;
  let closeServing: () => Promise<void>;

  beforeAll(async () => {
    dir = makeTempDir();
    await seedDriftedDataDir(join(dir, 'data'));
    // The storefront serving the shipped model, whose admin route the challenger is PUT to.
    const servingStore = openSqliteStore({ dataDir: join(dir, 'serving') });
    const plugin = churn({ model: SHIPPED_MODEL, store: servingStore, identify: () => null, adminToken: ADMIN_TOKEN });
    await plugin.ready();
    const storefront = await listenStorefront(plugin);
    serverUrl = `${storefront.base}/model`;
    closeServing = async () => {
      await storefront.close();
      await servingStore.close();
    };
  }, 300_000);

  afterAll(async () => {
    await closeServing?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trains a challenger with a higher out-of-time ROC AUC than the shipped model, and promotes it to a file and a server', async () => {
    const run = await runCliAsync(
      ['retrain', '--store', `sqlite:${join(dir, 'data')}`, '--champion', SHIPPED_MODEL, '--out', 'out', '--promote-to', 'serving.json', '--promote-url', serverUrl, '--json'],
      dir,
      { CHURNKIT_ADMIN_TOKEN: ADMIN_TOKEN },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as RetrainSummary;
    process.stdout.write(
      `retrain: champion ROC AUC ${summary.champion.metrics.auc.toFixed(4)}, challenger ${summary.challenger.metrics.auc.toFixed(4)} on ${summary.evaluation.rows} customers; ${summary.seconds.toFixed(1)} s\n`,
    );
    // The test: the drifted store retrains to a higher out-of-time AUC than the shipped model, by the promotion margin.
    expect(summary.challenger.metrics.auc).toBeGreaterThan(summary.champion.metrics.auc + summary.minGain);
    expect(summary.decision).toBe('promote');

    // Out of time: every training label window ends by the evaluation cut-off, which is a horizon before the log's end.
    const evaluationCutoff = Date.parse(summary.evaluation.cutoff);
    expect(Date.parse(summary.evaluation.labelWindow[1])).toBe(Date.parse(summary.until));
    expect(summary.training).toHaveLength(3);
    for (const cutoff of summary.training) expect(Date.parse(cutoff.cutoff) + 90 * DAY).toBeLessThanOrEqual(evaluationCutoff);

    // Promoted: the file is the challenger, and the server now serves it.
    const challenger = readFileSync(join(dir, 'out', 'challenger.json'), 'utf8');
    expect(readFileSync(join(dir, 'serving.json'), 'utf8')).toBe(challenger);
    expect(summary.promotedTo).toEqual(['serving.json', serverUrl]);
    const serving = (await (await fetch(serverUrl)).json()) as { version: string };
    expect(serving.version).toBe(summary.challenger.version);

    // The reports and the summary file.
    for (const name of ['report.html', 'champion-report.html']) expect(readFileSync(join(dir, 'out', name), 'utf8')).toContain('<svg');
    expect(JSON.parse(readFileSync(join(dir, 'out', 'retrain.json'), 'utf8'))).toEqual(summary);
  }, 300_000);

  it('keeps the champion when the challenger does not gain the margin, and writes nothing to promote', () => {
    const run = runCli(
      ['retrain', '--store', join(dir, 'data', 'churnkit.sqlite'), '--champion', SHIPPED_MODEL, '--out', 'kept', '--promote-to', 'kept.json', '--min-gain', '0.5', '--cutoffs', '1', '--model', 'logreg', '--explain-rows', '20'],
      dir,
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/kept the champion \(gain \+0\.\d{4} < --min-gain 0\.5\)/);
    expect(existsSync(join(dir, 'kept.json'))).toBe(false);
    expect(existsSync(join(dir, 'kept', 'challenger.json'))).toBe(true);
  }, 300_000);
});

describe('churnkit retrain refuses what it cannot do, with one clear line', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a missing store, and creates none', () => {
    const run = runCli(['retrain', '--store', 'sqlite:./nowhere', '--champion', SHIPPED_MODEL, '--out', 'out'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^churnkit: \.\/nowhere: store file not found; expected the plugin's SQLite file or data directory/);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('wants the admin token before reading anything when asked to promote to a server', () => {
    const run = runCli(['retrain', '--store', 'sqlite:./nowhere', '--champion', SHIPPED_MODEL, '--out', 'out', '--promote-url', 'http://127.0.0.1:9/churn/model'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--promote-url needs the admin token: give --admin-token or set CHURNKIT_ADMIN_TOKEN/);
  });

  it('refuses an --out that is a file, or lies under one, before reading anything', () => {
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    for (const out of ['a-file', 'a-file/run']) {
      const run = runCli(['retrain', '--store', 'sqlite:./nowhere', '--champion', SHIPPED_MODEL, '--out', out], dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^churnkit: ${out}: cannot write the output folder for --out \\((it is a file|.*a-file is a file)\\)\n$`));
    }
  });

  it('refuses a --promote-to whose folder does not exist, or that is a folder, naming the flag, before reading anything', () => {
    const run = runCli(['retrain', '--store', 'sqlite:./nowhere', '--champion', SHIPPED_MODEL, '--out', 'out', '--promote-to', 'missing/serving.json'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('churnkit: missing/serving.json: cannot write the output file for --promote-to (its folder does not exist)\n');
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    // A folder where the model file should go: the message says which of the two outputs it is.
    mkdirSync(join(dir, 'models-folder'), { recursive: true });
    const folder = runCli(['retrain', '--store', 'sqlite:./nowhere', '--champion', SHIPPED_MODEL, '--out', 'out', '--promote-to', 'models-folder'], dir);
    expect(folder.stderr).toBe('churnkit: models-folder: cannot write the output file for --promote-to (it is a directory)\n');
  });

  it('says how much history an out-of-time retrain needs when the store holds too little', async () => {
    const store = openSqliteStore({ dataDir: join(dir, 'young') });
    await store.appendEvents(youngHistory());
    await store.close();
    const run = runCli(['retrain', '--store', 'sqlite:./young', '--champion', SHIPPED_MODEL, '--out', 'out'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(YOUNG_LOG);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses to train a challenger, or promote one, on fewer customers than the stated minimum', async () => {
    const store = openSqliteStore({ dataDir: join(dir, 'small') });
    await store.appendEvents(smallShopEvents());
    await store.close();
    const run = runCli(['retrain', '--store', 'sqlite:./small', '--champion', SHIPPED_MODEL, '--out', 'out', '--promote-to', 'serving.json', '--model', 'logreg'], dir);
    expect(run.stderr).toMatch(
      /^churnkit: the challenger would be trained on the cut-offs \d{4}-\d\d-\d\d, \d{4}-\d\d-\d\d, \d{4}-\d\d-\d\d: 24 customer rows, 12 churned and 12 not; retraining needs at least 100 rows with 10 of each class, so nothing was trained or promoted/,
    );
    expect(run.status).toBe(1);
    expect(existsSync(join(dir, 'serving.json'))).toBe(false);
  });

  // Reads a Redis store's per-customer logs under its key prefix: the span it reports comes from the events.
  it.skipIf(!hasRedisServer())('reads a Redis store by URL and key prefix', async () => {
    const redis = await startRedisServer();
    try {
      const store = await openRedisStore({ url: redis.url, keyPrefix: 'shop1:' });
      await store.appendEvents(youngHistory());
      await store.close();
      const run = await runCliAsync(['retrain', '--store', redis.url, '--key-prefix', 'shop1:', '--champion', SHIPPED_MODEL, '--out', 'out'], dir);
      expect(run.stderr).toMatch(YOUNG_LOG);
      const empty = await runCliAsync(['retrain', '--store', redis.url, '--champion', SHIPPED_MODEL, '--out', 'out'], dir);
      expect(empty.stderr).toMatch(/the store holds no events to retrain from/);
    } finally {
      await redis.stop();
    }
  });
});

/** 60 days of orders by six customers, from 2026-09-01: far less than two 90-day horizons. */
function youngHistory(): ChurnEvent[] {
  const start = Date.parse('2026-09-01T10:00:00Z');
  return Array.from({ length: 60 }, (_, i) => ({ customerId: `c${i % 6}`, ts: start + i * DAY, type: 'order', value: 20 }));
}
const YOUNG_LOG = /the store's complete log spans 2026-09-01 to 2026-10-30 \(59 days\): an out-of-time retrain with --horizon 90d needs more than two horizons/;
