/**
 * Raw-record scoring as the plugin calls it: `ChurnModel.predict(record)` on the default
 * model trained on the ecommerce data, preprocessing (encoding the raw record) included.
 */
import type { RoundFigure } from './stats.js';

export interface RawRecordRow {
  readonly label: string;
  readonly p50Ns: RoundFigure;
  readonly p99Ns: RoundFigure;
}

export type RawRecordFigures =
  | { readonly measured: true; readonly model: string; readonly inputs: number; readonly records: number; readonly rows: RawRecordRow[] }
  | { readonly measured: false; readonly reason: string };

export async function measureRawRecordScoring(options: { quick: boolean; log: (line: string) => void }): Promise<RawRecordFigures> {
  options.log('raw-record scoring: waiting for the model layer');
  return { measured: false, reason: 'the trainer (src/train) is not available yet' };
}
