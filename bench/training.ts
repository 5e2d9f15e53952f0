/**
 * Training speed on the ecommerce train set: time per epoch for churnkit against tfjs-core's
 * wasm backend on the same architecture, optimizer and batch, and the wall clock churnkit's
 * default trainer needs to reach the scikit-learn reference AUCs on the test set.
 */
import type { RoundFigure } from './stats.js';

export interface TimeToAuc {
  readonly auc: number;
  /** Wall clock from the start of training until the test AUC first reached `auc`; null if never. */
  readonly seconds: number | null;
  readonly epochs: number | null;
}

export type TrainingFigures =
  | {
      readonly measured: true;
      readonly rows: number;
      readonly inputs: number;
      readonly batchSize: number;
      readonly epochMs: Record<string, RoundFigure>;
      readonly timeToAuc: TimeToAuc[];
      readonly finalTestAuc: number;
    }
  | { readonly measured: false; readonly reason: string };

export async function measureTraining(options: { quick: boolean; log: (line: string) => void }): Promise<TrainingFigures> {
  options.log('training: waiting for the trainer');
  return { measured: false, reason: 'the trainer (src/train) is not available yet' };
}
