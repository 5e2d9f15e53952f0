import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBatchFeatures } from '../../src/features/batch-features.node.js';
import { resolveChurnLabel } from '../../src/features/churn-label.js';
import { FEATURE_NAMES } from '../../src/features/feature-definitions.js';
import { readEventColumns } from '../../src/features/read-event-columns.node.js';
import { writeStorefrontFiles } from '../../src/generate/write-storefront-files.node.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { loadEngine } from '../../src/node/index.js';
import { createRandom } from '../../src/train/random.js';
import { stratifiedSplit } from '../../src/train/stratified-split.js';
import { train } from '../../src/train/train.js';
import { tune } from '../../src/tune/tune.js';

/**
 * The default-preferring rule on data nobody tuned the search space for: a generated
 * storefront's feature table. Whatever the search picks, on customers it never saw the
 * tuned model must not fall below the defaults by more than the cross-validation's own
 * spread (the defaults' sd over folds).
 */
describe('tune on a generated storefront table', () => {
  const folder = mkdtempSync(join(tmpdir(), 'churnkit-tune-store-'));
  let records: RawRecord[] = [];
  beforeAll(async () => {
    const events = join(folder, 'events.csv');
    await writeStorefrontFiles({ customers: 1500, days: 365, seed: 21, out: events });
    const batch = computeBatchFeatures(await readEventColumns(events, { format: 'csv' }), { label: resolveChurnLabel({ asOf: '2025-09-30', horizon: '90d' }) });
    records = batch.customerIds.map((id, row) => ({
      customer_id: id,
      ...Object.fromEntries(FEATURE_NAMES.map((name, column) => [name, batch.features[row]![column]!])),
      churned: batch.churned![row]!,
    }));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('scores the tuned choice on held-out customers within the CV spread of the defaults, or better', async () => {
    const engine = await loadEngine();
    const labels = records.map((record) => Number(record['churned']));
    const split = stratifiedSplit(labels, 0.3, createRandom(4));
    const trainRows = split.train.map((row) => records[row]!);
    const testRows = split.validation.map((row) => records[row]!);
    const testLabels = split.validation.map((row) => labels[row]!);
    const options = { engine, target: 'churned', id: 'customer_id', seed: 4 };
    const result = await tune(trainRows, { ...options, trials: 4, folds: 3 });

    const heldOut = async (settings: object) => {
      const { model } = await train(trainRows, { ...options, ...settings });
      const auc = rocAuc(testLabels, model.predictBatch(testRows));
      model.dispose();
      return auc;
    };
    const spread = result.trials[0]!.aucStd;
    const tuned = await heldOut(result.chosen.settings);
    const defaults = await heldOut({});
    expect(spread).toBeGreaterThan(0);
    expect(tuned).toBeGreaterThanOrEqual(defaults - spread);
    // When the defaults are kept, the tuned model is the default model.
    if (result.chosen.isDefault) expect(tuned).toBe(defaults);
  });
});
