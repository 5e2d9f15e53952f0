import type { CsvTable } from '../data/csv-table.js';
import { ChurnkitError } from '../errors.js';

/**
 * The last guard before scores reach a file: every value must be a probability. `loadModel`
 * already refuses any model that could produce something else, so this never fires for a model
 * churnkit loaded; if it ever does, the command fails naming the row and writes nothing, rather
 * than writing `NaN,low` and exiting 0.
 */
export function requireProbabilities(probabilities: Float32Array, table: CsvTable & { firstRow?: number }): Float32Array {
  probabilities.forEach((probability, index) => {
    if (!(probability >= 0 && probability <= 1)) {
      throw new ChurnkitError(
        'PREDICT_NOT_A_PROBABILITY',
        `${table.file}, line ${table.lines[index]}, row ${(table.firstRow ?? 1) + index}: the model scored ${probability}, not a probability in [0, 1]; nothing was written`,
      );
    }
  });
  return probabilities;
}
