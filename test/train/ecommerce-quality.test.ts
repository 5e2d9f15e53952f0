import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { rocAuc } from '../../src/metrics/index.js';
import { loadEngine } from '../../src/node/index.js';
import { parseTarget } from '../../src/train/parse-target.js';
import { train } from '../../src/train/train.js';
import { sharedDataset } from '../support/requirement.js';

const ecommerce = sharedDataset('ecommerce-churn');
const dataset = `${ecommerce.path}/`;
const readCsv = (name: string) => parse(readFileSync(`${dataset}${name}`, 'utf8'), { columns: true }) as RawRecord[];

/**
 * The quality bar on the public e-commerce churn split, raw files as they are and
 * default settings only (scikit-learn: LogisticRegression 0.884, MLPClassifier(64,32) 0.963).
 */
describe.skipIf(!ecommerce.met)(
  ecommerce.title('ecommerce-churn quality'),
  () => {
    it.each([
      ['logreg', 0.879],
      ['mlp', 0.963],
    ] as const)('%s with default settings reaches test ROC AUC >= %s', async (model, floor) => {
      const trainRows = readCsv('train.csv');
      const testRows = readCsv('test.csv');
      const testLabels = testRows.map((row, index) => parseTarget(row.Churn, { row: index + 1, column: 'Churn' }));
      const engine = await loadEngine();
      const { model: trained } = await train(trainRows, { engine, target: 'Churn', id: 'CustomerID', model });
      expect(rocAuc(testLabels, trained.predictBatch(testRows))).toBeGreaterThanOrEqual(floor);
      trained.dispose();
    });
  },
);
