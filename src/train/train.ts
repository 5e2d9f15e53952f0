import { trainable } from '../engine/trainable.js';
import type { Network, TrainableNetwork } from '../engine/types.js';
import { InputError } from '../errors.js';
import { logLoss, prAuc, rocAuc, thresholdByMaxF1 } from '../metrics/index.js';
import { explainable, type ExplainableChurnModel } from '../explain/explainable.js';
import { loadModel } from '../model/churn-model.js';
import { compileEncoder } from '../model/encode-record.js';
import type { FeatureSpec, RawRecord } from '../model/feature-spec.js';
import { fitFeatureSpec } from '../model/fit-feature-spec.js';
import { serializeModel, type ModelArchitecture, type ModelFileV1 } from '../model/model-file.js';
import { fitReference } from '../model/fit-reference.js';
import { quantileOfSorted } from '../model/quantile.js';
import { hashRows } from './data-hash.js';
import { featureWords } from './feature-words.js';
import { initialParameters } from './initial-parameters.js';
import { learningRateAt } from './learning-rate-schedule.js';
import { parseTarget } from './parse-target.js';
import { createRandom } from './random.js';
import { stratifiedSplit } from './stratified-split.js';
import {
  recordableOptions,
  resolveTrainOptions,
  type EpochProgress,
  type ResolvedTrainOptions,
  type TrainOptions,
} from './train-options.js';

/** What `train` returns: the ready model (able to explain), its file and the per-epoch figures. */
export interface TrainResult {
  model: ExplainableChurnModel;
  file: ModelFileV1;
  history: EpochProgress[];
}

/** Rows through the network at once when scoring (validation, quantiles). */
const SCORING_BATCH = 256;
/** Stored score quantiles: 0 %, 1 %, ..., 100 %. */
const SCORE_QUANTILES = 101;
/** A validation figure must improve by more than this to count as progress. */
const MIN_IMPROVEMENT = 1e-4;

interface EncodedRows {
  matrix: Float32Array;
  labels: Float32Array;
  rows: number;
}

/**
 * Trains a churn model on raw records: fits the feature spec, trains a logistic
 * regression or an MLP on the engine with a stratified validation part for early
 * stopping (best weights restored) and threshold choice (max F1), and writes a
 * signed model file. Same seed + same rows → identical weights.
 *
 * @example
 * const engine = await loadEngine();
 * const { model, file } = await train(rows, { engine, target: 'Churn', id: 'CustomerID' });
 * model.predict(rows[0]);
 */
export async function train(rows: readonly RawRecord[], options: TrainOptions): Promise<TrainResult> {
  const resolved = resolveTrainOptions(options);
  const labels = readLabels(rows, resolved.target);
  if (resolved.sampleWeights !== undefined && resolved.sampleWeights.length !== rows.length) {
    throw new InputError('INPUT_WEIGHT_COUNT', `${resolved.sampleWeights.length} sample weights for ${rows.length} rows; expected one weight per row`);
  }
  const random = createRandom(resolved.seed);
  const everyRow = { train: labels.map((_, i) => i), validation: [] as number[] };
  const held = resolved.validationFraction > 0 ? stratifiedSplit(labels, resolved.validationFraction, random) : everyRow;
  // Too few rows of a class to hold some out: train on everything, without early stopping
  // (the metadata then carries no validation metrics, which callers report).
  const split = hasBothClasses(held.validation, labels) && hasBothClasses(held.train, labels) ? held : everyRow;

  const trainRows = split.train.map((i) => rows[i]!);
  const spec = inCallerRows(split.train, () => fitFeatureSpec(trainRows, { ...resolved.features, target: resolved.target, id: resolved.id }));
  const display = featureWords(spec.columns.map((column) => column.name), resolved.display);
  const trainSet = encodeRows(spec, rows, labels, split.train);
  const validationSet = encodeRows(spec, rows, labels, split.validation);

  const architecture: ModelArchitecture = {
    kind: resolved.model,
    inputs: spec.inputSize,
    layers: [
      ...resolved.hidden.map((units) => ({ units, activation: resolved.activation })),
      { units: 1, activation: 'sigmoid' as const },
    ],
  };
  const network = trainable(resolved.engine.createNetwork(architecture, { maxBatch: Math.max(resolved.batchSize, SCORING_BATCH) }));
  try {
    network.setParameters(initialParameters(architecture, random));
    network.configureTraining({
      optimizer: resolved.optimizer,
      learningRate: resolved.learningRate,
      momentum: resolved.momentum,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      l2: resolved.l2,
      batchSize: resolved.batchSize,
    });
    const weights = sampleWeights(trainSet.labels, split.train, resolved);
    const { history, bestEpoch } = fitNetwork(network, trainSet, validationSet, weights, resolved, random);

    const thresholdSet = validationSet.rows > 0 ? validationSet : trainSet;
    const thresholdScores = scoreRows(network, thresholdSet);
    const choice = thresholdByMaxF1(thresholdSet.labels, thresholdScores);
    const allScores = scoreRows(network, encodeRows(spec, rows, labels, labels.map((_, i) => i)));
    const metrics = validationMetrics(validationSet, validationSet.rows > 0 ? thresholdScores : undefined, history, bestEpoch, choice.f1);

    const trainedAt = new Date().toISOString();
    const file = await serializeModel({
      version: resolved.version ?? `${resolved.model}-${trainedAt.replace(/[-:]/g, '').slice(0, 15)}`,
      architecture,
      featureSpec: spec,
      parameters: network.getParameters(),
      metadata: {
        target: resolved.target,
        id: resolved.id ?? null,
        trainedAt,
        rows: rows.length,
        positiveRate: labels.reduce((sum, label) => sum + label, 0) / labels.length,
        threshold: Math.min(Math.max(choice.threshold, 0), 1),
        dataHash: resolved.dataHash ?? (await hashRows(rows)),
        seed: resolved.seed,
        metrics,
        scoreQuantiles: scoreQuantiles(allScores),
        options: recordableOptions(resolved, display),
        reference: fitReference(spec, rows, allScores),
      },
    });
    return { model: explainable(loadModel(resolved.engine, file)), file, history };
  } finally {
    network.dispose();
  }
}

function readLabels(rows: readonly RawRecord[], target: string): number[] {
  if (rows.length === 0) throw new InputError('INPUT_EMPTY', 'no rows to train on; expected at least one record per class');
  const labels = rows.map((row, index) =>
    parseTarget(Object.hasOwn(row, target) ? row[target] : undefined, { row: index + 1, column: target }),
  );
  const positives = labels.reduce<number>((sum, label) => sum + label, 0);
  if (positives === 0 || positives === labels.length) {
    throw new InputError(
      'INPUT_ONE_CLASS',
      `every row has the same label (${positives === 0 ? 0 : 1}); expected both churned (1) and retained (0) customers`,
      { column: target },
    );
  }
  return labels;
}

/** Runs `fit` on the rows at `indices`; an `InputError` it throws names the row as the caller numbers it. */
function inCallerRows<T>(indices: readonly number[], fit: () => T): T {
  try {
    return fit();
  } catch (error) {
    if (!(error instanceof InputError) || error.location.row === undefined) throw error;
    const row = indices[error.location.row - 1]! + 1;
    throw new InputError(error.code, error.detail, { ...error.location, row }, { cause: error });
  }
}

function hasBothClasses(indices: readonly number[], labels: readonly number[]): boolean {
  let positives = 0;
  for (const i of indices) positives += labels[i]!;
  return positives > 0 && positives < indices.length;
}

function encodeRows(spec: FeatureSpec, rows: readonly RawRecord[], labels: readonly number[], indices: readonly number[]): EncodedRows {
  const encode = compileEncoder(spec);
  const matrix = new Float32Array(indices.length * spec.inputSize);
  const encodedLabels = new Float32Array(indices.length);
  indices.forEach((rowIndex, r) => {
    encode(rows[rowIndex]!, matrix, r * spec.inputSize);
    encodedLabels[r] = labels[rowIndex]!;
  });
  return { matrix, labels: encodedLabels, rows: indices.length };
}

/**
 * Per-row loss weights of the training rows (`rowIndices` into the caller's rows): the
 * caller's sample weights, if any, times the class weight ('balanced' gives each class half
 * the total weight).
 */
function sampleWeights(labels: Float32Array, rowIndices: readonly number[], options: ResolvedTrainOptions): Float32Array {
  const given = options.sampleWeights;
  const weights = given === undefined ? new Float32Array(labels.length).fill(1) : Float32Array.from(rowIndices, (row) => given[row]!);
  const { classWeight } = options;
  if (classWeight === 'none') return weights;
  let positives = 0;
  for (const label of labels) positives += label;
  const perClass =
    classWeight === 'balanced'
      ? [labels.length / (2 * (labels.length - positives)), labels.length / (2 * positives)]
      : [classWeight[0], classWeight[1]];
  for (let i = 0; i < labels.length; i++) weights[i]! *= perClass[labels[i]!]!;
  return weights;
}

function fitNetwork(
  network: TrainableNetwork,
  trainSet: EncodedRows,
  validationSet: EncodedRows,
  weights: Float32Array,
  options: ResolvedTrainOptions,
  random: ReturnType<typeof createRandom>,
): { history: EpochProgress[]; bestEpoch: number } {
  const inputs = network.shape.inputs;
  const { batchSize, epochs } = options;
  const batchMatrix = new Float32Array(batchSize * inputs);
  const batchLabels = new Float32Array(batchSize);
  const batchWeights = new Float32Array(batchSize);
  const order = Uint32Array.from({ length: trainSet.rows }, (_, i) => i);
  const stepsPerEpoch = Math.ceil(trainSet.rows / batchSize);
  const totalSteps = stepsPerEpoch * epochs;
  const history: EpochProgress[] = [];
  let best = { score: Infinity, epoch: epochs, parameters: network.getParameters() };
  let epochsWithoutProgress = 0;
  let step = 0;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    random.shuffle(order);
    let lossSum = 0;
    let learningRate = options.learningRate;
    for (let start = 0; start < trainSet.rows; start += batchSize) {
      const rows = Math.min(batchSize, trainSet.rows - start);
      for (let r = 0; r < rows; r++) {
        const source = order[start + r]!;
        batchMatrix.set(trainSet.matrix.subarray(source * inputs, (source + 1) * inputs), r * inputs);
        batchLabels[r] = trainSet.labels[source]!;
        batchWeights[r] = weights[source]!;
      }
      learningRate = learningRateAt(options.schedule, options.learningRate, step++, totalSteps);
      network.setLearningRate(learningRate);
      lossSum += network.trainBatch(batchMatrix, batchLabels, batchWeights, rows) * rows;
    }
    const progress: EpochProgress = {
      epoch,
      epochs,
      trainLoss: lossSum / trainSet.rows,
      valLoss: undefined,
      valAuc: undefined,
      learningRate,
    };
    if (validationSet.rows > 0) {
      const scores = scoreRows(network, validationSet);
      progress.valLoss = logLoss(validationSet.labels, scores);
      progress.valAuc = rocAuc(validationSet.labels, scores);
    }
    history.push(progress);
    options.onProgress?.(progress);

    if (validationSet.rows === 0) continue;
    // Lower is better for both: AUC is watched through its complement.
    const score = options.monitor === 'auc' ? 1 - progress.valAuc! : progress.valLoss!;
    if (score < best.score - MIN_IMPROVEMENT) {
      best = { score, epoch, parameters: network.getParameters() };
      epochsWithoutProgress = 0;
    } else if (++epochsWithoutProgress >= options.patience) {
      break;
    }
  }
  if (validationSet.rows === 0) return { history, bestEpoch: history.length };
  network.setParameters(best.parameters);
  return { history, bestEpoch: best.epoch };
}

function scoreRows(network: Network, set: EncodedRows): Float32Array {
  const inputs = network.shape.inputs;
  const scores = new Float32Array(set.rows);
  for (let start = 0; start < set.rows; start += SCORING_BATCH) {
    const rows = Math.min(SCORING_BATCH, set.rows - start);
    network.predictBatch(set.matrix.subarray(start * inputs, (start + rows) * inputs), rows, scores.subarray(start, start + rows));
  }
  return scores;
}

function validationMetrics(
  validationSet: EncodedRows,
  scores: Float32Array | undefined,
  history: readonly EpochProgress[],
  bestEpoch: number,
  f1: number,
): Record<string, number> {
  const last = history[history.length - 1]!;
  const metrics: Record<string, number> = { epochs: history.length, bestEpoch, trainLoss: last.trainLoss };
  if (!scores) return { ...metrics, trainF1: f1 };
  return {
    ...metrics,
    validationRows: validationSet.rows,
    valAuc: rocAuc(validationSet.labels, scores),
    valPrAuc: prAuc(validationSet.labels, scores),
    valLogLoss: logLoss(validationSet.labels, scores),
    valF1: f1,
  };
}

function scoreQuantiles(scores: Float32Array): number[] {
  const sorted = Float64Array.from(scores).sort();
  return Array.from({ length: SCORE_QUANTILES }, (_, k) => quantileOfSorted(sorted, k / (SCORE_QUANTILES - 1)));
}
