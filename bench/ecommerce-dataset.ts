/**
 * The public e-commerce churn split the training and raw-record sections use, read from
 * `../shared/datasets/ecommerce-churn` beside the checkout (never copied into the repo).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../src/data/read-csv-file.node.js';
import type { RawRecord } from '../src/model/feature-spec.js';
import { repoRoot } from './repo-root.js';

export const ECOMMERCE_TARGET = 'Churn';
export const ECOMMERCE_ID = 'CustomerID';

export interface EcommerceSplit {
  readonly train: readonly RawRecord[];
  readonly test: readonly RawRecord[];
  readonly testLabels: Float32Array;
}

export function ecommerceFolder(): string {
  return join(repoRoot(), '..', 'shared', 'datasets', 'ecommerce-churn');
}

/** The train/test split, or undefined when the datasets folder is absent (a fresh machine). */
export async function readEcommerceSplit(): Promise<EcommerceSplit | undefined> {
  const folder = ecommerceFolder();
  if (!existsSync(join(folder, 'train.csv')) || !existsSync(join(folder, 'test.csv'))) return undefined;
  const train = (await readCsvFile(join(folder, 'train.csv'))).records;
  const test = (await readCsvFile(join(folder, 'test.csv'))).records;
  return { train, test, testLabels: Float32Array.from(test, (record) => Number(record[ECOMMERCE_TARGET])) };
}
