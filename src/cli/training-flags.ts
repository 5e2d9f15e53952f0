import { Option, type Command } from 'commander';
import type { TrainOptions } from '../train/train-options.js';
import { columnNames, integer, layerSizes, nonNegativeNumber, positiveInteger, positiveNumber } from './option-parsers.js';

/** The network and optimiser flags, as commander parses them. */
export interface NetworkFlags {
  model: 'logreg' | 'mlp';
  hidden?: number[];
  epochs?: number;
  lr?: number;
  seed: number;
  batchSize?: number;
  l2?: number;
}

/** The training file's flags, as commander parses them. */
export interface DataFlags {
  data: string;
  target: string;
  id?: string;
  exclude?: string[];
}

/** The model and optimiser flags `train` and `cv` share, as commander parses them. */
export interface TrainingFlags extends NetworkFlags, DataFlags {}

/** Adds the training file's flags (data, target, id, exclude), shared by `train`, `cv` and `tune`. */
export function addDataFlags(command: Command): Command {
  return command
    .requiredOption('--data <csv>', 'training CSV file, one row per customer')
    .requiredOption('--target <column>', 'churn label column (0/1, true/false or yes/no)')
    .option('--id <column>', 'customer id column (kept out of the features)')
    .option('--exclude <columns>', 'columns to leave out of the features, comma-separated (e-mails, names, free text)', columnNames);
}

/** Adds `--display`, for the commands that write a model file (train, tune). */
export function addDisplayFlag(command: Command): Command {
  return command.option(
    '--display <json>',
    'the features\' words for people (label, unit, phrases), over those in <data>.display.json beside --data if present (docs/model-format.md, "Display words")',
  );
}

/** Adds the data, target and model flags to a command; unset flags keep the trainer's per-model defaults. */
export function addTrainingFlags(command: Command): Command {
  return addNetworkFlags(addDataFlags(command), 'mlp').option('--seed <n>', 'seed for initialisation, shuffling and splits', integer, 42);
}

/**
 * The network and optimiser flags (model kind, layers, epochs, rate, batch size, L2), for any
 * command that trains; `help` words the rate and L2 flags of a command with its own defaults.
 */
export function addNetworkFlags(command: Command, defaultModel: 'logreg' | 'mlp', help: { lr?: string; l2?: string } = {}): Command {
  return command
    .addOption(new Option('--model <kind>', 'model kind').choices(['logreg', 'mlp']).default(defaultModel))
    .option('--hidden <sizes>', 'MLP hidden layer sizes, e.g. 64,32', layerSizes)
    .option('--epochs <n>', 'most epochs (early stopping may end sooner)', positiveInteger)
    .option('--lr <rate>', help.lr ?? 'learning rate', positiveNumber)
    .option('--batch-size <n>', 'mini-batch size', positiveInteger)
    .option('--l2 <penalty>', help.l2 ?? 'L2 penalty on weights', nonNegativeNumber);
}

/** The flags as `train` options (engine and callbacks are added by the caller). */
export function trainOptionsFrom(flags: TrainingFlags): Omit<TrainOptions, 'engine'> {
  return { target: flags.target, ...(flags.id !== undefined ? { id: flags.id } : {}), ...networkOptionsFrom(flags) };
}

/** The network flags as trainer settings; unset flags are left out (the trainer's defaults apply). */
export function networkOptionsFrom(flags: NetworkFlags): Pick<TrainOptions, 'model' | 'seed' | 'hidden' | 'epochs' | 'learningRate' | 'batchSize' | 'l2'> {
  return {
    model: flags.model,
    seed: flags.seed,
    ...(flags.hidden !== undefined ? { hidden: flags.hidden } : {}),
    ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
    ...(flags.lr !== undefined ? { learningRate: flags.lr } : {}),
    ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
    ...(flags.l2 !== undefined ? { l2: flags.l2 } : {}),
  };
}
