import type { Command } from 'commander';
import { loadEngine } from '../../node/index.js';
import { train } from '../../train/train.js';
import { formatNumber } from '../format-table.js';
import { startProgress } from '../progress.js';
import { readTrainingData } from '../read-training-data.js';
import { describeWords, readFeatureWords } from '../feature-words-file.js';
import { addDisplayFlag, addTrainingFlags, trainOptionsFrom, type TrainingFlags } from '../training-flags.js';
import { checkOutputs } from '../check-outputs.js';
import { writeFileAtomically } from '../../node/write-file-atomically.js';

/**
 * `churnkit train --data <csv> --target <col> [--id <col>] [--model logreg|mlp]
 * [--hidden 64,32] [--epochs N] [--lr X] [--seed S] [--batch-size N] [--l2 X] [--display <json>] --out <model.json>`:
 * trains a model (feature preprocessing fitted on the data, early stopping and
 * the decision threshold on a stratified validation part) and writes the signed
 * model file atomically, with the features' words (the file beside the data that
 * `churnkit features` writes, `--display`, the event features' built-in words).
 *
 * @example
 * churnkit train --data customers.csv --target Churn --id CustomerID --model mlp --out churn.json
 */
export function registerTrain(program: Command): void {
  addDisplayFlag(addTrainingFlags(program.command('train').description('train a churn model on a labelled CSV file')))
    .requiredOption('--out <file>', 'where to write the model file (written atomically)')
    .action(async (flags: TrainingFlags & { out: string; display?: string }) => {
      const started = performance.now();
      checkOutputs([{ path: flags.out, kind: 'file', flag: '--out' }], [flags.data, ...(flags.display !== undefined ? [flags.display] : [])]);
      const data = await readTrainingData(flags.data, flags.target, flags.id, flags.exclude);
      const words = await readFeatureWords(flags.data, flags.display, data.table.columns);
      const engine = await loadEngine();
      const options = trainOptionsFrom(flags);
      let progress: ReturnType<typeof startProgress> | undefined;
      const { model, file } = await train(data.table.records, {
        ...options,
        engine,
        dataHash: data.dataHash,
        display: words.words,
        onProgress: ({ epoch, epochs }) => {
          progress ??= startProgress('train (epochs)', epochs);
          progress.update(epoch);
        },
      });
      progress?.stop();
      try {
        await writeFileAtomically(flags.out, `${JSON.stringify(file)}\n`);
        const metrics = file.metadata.metrics;
        const layers = [file.architecture.inputs, ...file.architecture.layers.map((layer) => layer.units)].join('→');
        const validation =
          metrics.valAuc !== undefined
            ? `validation (${metrics.validationRows} rows): AUC ${formatNumber(metrics.valAuc)}, PR AUC ${formatNumber(metrics.valPrAuc!)}, log loss ${formatNumber(metrics.valLogLoss!)}, F1 ${formatNumber(metrics.valF1!)}`
            : 'no validation part';
        process.stdout.write(
          [
            `trained ${file.architecture.kind} ${layers} on ${data.table.records.length} rows (${model.features.length} feature column${model.features.length === 1 ? '' : 's'}, churn rate ${formatNumber(file.metadata.positiveRate)}) with the ${engine.kind} engine`,
            `${metrics.epochs} epochs in ${((performance.now() - started) / 1000).toFixed(1)} s; ${validation}`,
            `threshold ${formatNumber(model.threshold)} (max F1 on the ${metrics.valAuc !== undefined ? 'validation part' : 'training rows'}); wrote ${flags.out}`,
            describeWords(file, words.files),
          ].join('\n') + '\n',
        );
      } finally {
        model.dispose();
      }
    });
}
