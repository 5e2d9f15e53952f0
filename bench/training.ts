/**
 * Training speed on the ecommerce train set.
 * - Time per epoch: churnkit's network against tfjs-core on its wasm backend, same
 *   architecture (encoded inputs → 64 relu → 32 relu → 1 sigmoid), same initial weights,
 *   Adam with the same rate, same batch size, same row order; trainers alternate A B A B.
 * - Wall clock to a test AUC: churnkit's default trainer (`train()` with default options,
 *   preprocessing and validation included) configured for increasing epoch budgets; each
 *   budget is a complete run, and the fastest run whose model reaches the AUC counts.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { trainable } from '../src/engine/trainable.js';
import type { Engine, NetworkShape } from '../src/engine/types.js';
import { EngineError } from '../src/errors.js';
import { rocAuc } from '../src/metrics/index.js';
import { compileEncoder } from '../src/model/encode-record.js';
import { fitFeatureSpec } from '../src/model/fit-feature-spec.js';
import { train } from '../src/train/train.js';
import { resolveTrainOptions } from '../src/train/train-options.js';
import { ECOMMERCE_ID, ECOMMERCE_TARGET, ecommerceFolder, readEcommerceSplit } from './ecommerce-dataset.js';
import { loadChurnkitEngine } from './peers/churnkit.js';
import { loadTfjs } from './peers/tfjs.js';
import { registerDenseGradients } from './peers/tfjs-gradients.js';
import { roundFigure, type RoundFigure } from './stats.js';
import { layerParameters, seededParameters } from './workloads.js';

export interface TimeToAuc {
  readonly auc: number;
  /** Wall clock of the fastest complete default-trainer run whose model reached `auc` on the test set; null if none did. */
  readonly seconds: number | null;
  readonly epochs: number | null;
}

export interface DefaultTrainerRun {
  readonly epochBudget: number;
  readonly epochsRun: number;
  readonly seconds: number;
  readonly testAuc: number;
}

export type TrainingFigures =
  | {
      readonly measured: true;
      readonly rows: number;
      readonly inputs: number;
      readonly batchSize: number;
      readonly learningRate: number;
      /** The trainer's default epoch budget: the ladder's last run is `train()` with no options changed. */
      readonly defaultEpochs: number;
      /** Epochs each trainer ran in the race, all from the same initial weights. */
      readonly epochs: number;
      /** trainer label → ms per epoch. */
      readonly epochMs: Record<string, RoundFigure>;
      readonly epochsPerRound: number;
      /**
       * trainer label → mean training loss of the last epoch of the first round and of the
       * whole race: equal early on shows both train the same network the same way.
       */
      readonly trainLoss: Record<string, { afterFirstRound: number; atEnd: number }>;
      readonly defaultTrainerRuns: DefaultTrainerRun[];
      readonly timeToAuc: TimeToAuc[];
    }
  | { readonly measured: false; readonly reason: string };

/** Labels of the epoch-time table; targets.ts compares the first two. */
export const CHURNKIT_TRAINER = 'churnkit (wasm SIMD)';
export const TFJS_TRAINER = 'tfjs-core + tfjs-backend-wasm';

const AUC_TARGETS = [0.963, 0.977];

export async function measureTraining(options: { quick: boolean; log: (line: string) => void }): Promise<TrainingFigures> {
  const split = await readEcommerceSplit();
  if (!split) return { measured: false, reason: `the datasets folder ${ecommerceFolder()} is absent` };
  const engine = await loadChurnkitEngine('churnkit-simd');

  const spec = fitFeatureSpec(split.train, { target: ECOMMERCE_TARGET, id: ECOMMERCE_ID });
  const encode = compileEncoder(spec);
  const rows = split.train.length;
  const matrix = new Float32Array(rows * spec.inputSize);
  const labels = new Float32Array(rows);
  split.train.forEach((record, row) => {
    encode(record, matrix, row * spec.inputSize);
    labels[row] = Number(record[ECOMMERCE_TARGET]);
  });
  const shape: NetworkShape = {
    inputs: spec.inputSize,
    layers: [{ units: 64, activation: 'relu' }, { units: 32, activation: 'relu' }, { units: 1, activation: 'sigmoid' }],
  };
  const initial = seededParameters(shape, 5);

  // The race uses the trainer's own MLP defaults, so it times what `train()` would run.
  const defaults = resolveTrainOptions({ engine, target: ECOMMERCE_TARGET });
  const race: RaceSettings = { batchSize: defaults.batchSize, learningRate: defaults.learningRate };
  const epochsPerRound = options.quick ? 2 : 4;
  const churnkitEpoch = churnkitEpochTimer(engine, shape, initial, matrix, labels, rows, race);
  const tfjsEpoch = await tfjsEpochTimer(shape, initial, matrix, labels, rows, race);
  const churnkitRounds: EpochTiming[] = [];
  const tfjsRounds: EpochTiming[] = [];
  for (let round = 1; round <= (options.quick ? 3 : 5); round++) {
    churnkitRounds.push(churnkitEpoch(epochsPerRound));
    tfjsRounds.push(await tfjsEpoch(epochsPerRound));
    options.log(`training round ${round}: churnkit ${churnkitRounds.at(-1)!.msPerEpoch.toFixed(1)} ms/epoch, tfjs-wasm ${tfjsRounds.at(-1)!.msPerEpoch.toFixed(1)} ms/epoch`);
  }

  const defaultTrainerRuns: DefaultTrainerRun[] = [];
  const budgets = options.quick ? [10, defaults.epochs] : [5, 10, 15, 20, 30, defaults.epochs];
  for (const epochBudget of budgets) {
    const started = performance.now();
    const result = await train(split.train, { engine, target: ECOMMERCE_TARGET, id: ECOMMERCE_ID, ...(epochBudget === defaults.epochs ? {} : { epochs: epochBudget }) });
    const seconds = (performance.now() - started) / 1000;
    const testAuc = rocAuc(split.testLabels, result.model.predictBatch(split.test));
    result.model.dispose();
    defaultTrainerRuns.push({ epochBudget, epochsRun: result.history.length, seconds, testAuc });
    options.log(`default trainer, ${epochBudget} epochs: ${seconds.toFixed(2)} s, test AUC ${testAuc.toFixed(4)}`);
  }

  return {
    measured: true,
    rows,
    inputs: spec.inputSize,
    batchSize: race.batchSize,
    learningRate: race.learningRate,
    defaultEpochs: defaults.epochs,
    epochs: churnkitRounds.length * epochsPerRound,
    epochMs: {
      [CHURNKIT_TRAINER]: roundFigure(churnkitRounds.map((timing) => timing.msPerEpoch)),
      [TFJS_TRAINER]: roundFigure(tfjsRounds.map((timing) => timing.msPerEpoch)),
    },
    epochsPerRound,
    trainLoss: {
      [CHURNKIT_TRAINER]: { afterFirstRound: churnkitRounds[0]!.lastEpochLoss, atEnd: churnkitRounds.at(-1)!.lastEpochLoss },
      [TFJS_TRAINER]: { afterFirstRound: tfjsRounds[0]!.lastEpochLoss, atEnd: tfjsRounds.at(-1)!.lastEpochLoss },
    },
    defaultTrainerRuns,
    timeToAuc: AUC_TARGETS.map((auc) => {
      const fastest = defaultTrainerRuns.filter((run) => run.testAuc >= auc).sort((a, b) => a.seconds - b.seconds)[0];
      return { auc, seconds: fastest?.seconds ?? null, epochs: fastest?.epochsRun ?? null };
    }),
  };
}

/** The trainer defaults both racers use. */
interface RaceSettings {
  readonly batchSize: number;
  readonly learningRate: number;
}

/** One timed stretch of training: ms per epoch and the mean training loss of its last epoch. */
interface EpochTiming {
  readonly msPerEpoch: number;
  readonly lastEpochLoss: number;
}

/** Returns a function that trains `epochs` epochs on churnkit and times them. */
function churnkitEpochTimer(engine: Engine, shape: NetworkShape, initial: Float32Array, matrix: Float32Array, labels: Float32Array, rows: number, { batchSize, learningRate }: RaceSettings): (epochs: number) => EpochTiming {
  const network = trainable(engine.createNetwork(shape, { maxBatch: batchSize }));
  network.setParameters(initial);
  network.configureTraining({ optimizer: 'adam', learningRate, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, l2: 0, batchSize });
  const weights = new Float32Array(batchSize).fill(1);
  return (epochs) => {
    const started = process.hrtime.bigint();
    let epochLoss = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      epochLoss = 0;
      for (let start = 0; start < rows; start += batchSize) {
        const count = Math.min(batchSize, rows - start);
        epochLoss += (count / rows) * network.trainBatch(
          matrix.subarray(start * shape.inputs, (start + count) * shape.inputs),
          labels.subarray(start, start + count),
          weights.subarray(0, count),
          count,
        );
      }
    }
    const msPerEpoch = Number(process.hrtime.bigint() - started) / 1e6 / epochs;
    if (!Number.isFinite(epochLoss)) throw new EngineError('BENCH_OUTPUT', `churnkit training produced a non-finite loss (${epochLoss})`);
    return { msPerEpoch, lastEpochLoss: epochLoss };
  };
}

/** The same epoch on tfjs-core's wasm backend: variables, Adam, sigmoid cross-entropy on logits. */
async function tfjsEpochTimer(shape: NetworkShape, initial: Float32Array, matrix: Float32Array, labels: Float32Array, rows: number, { batchSize, learningRate }: RaceSettings): Promise<(epochs: number) => Promise<EpochTiming>> {
  const tf = await loadTfjs('wasm');
  const layers = layerParameters(shape, initial).map(({ weights, bias, fanIn, units }, index) => ({
    weights: tf.variable(tf.tensor2d(weights, [fanIn, units])),
    bias: tf.variable(tf.tensor1d(bias)),
    hidden: index < shape.layers.length - 1,
  }));
  const optimizer = tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
  registerDenseGradients(tf);
  // The loss carries its analytic gradient (sigmoid(z) - y) / n rather than chaining the
  // gradients of six elementwise kernels tfjs-core's Node bundle does not register.
  const meanSigmoidCrossEntropy = tf.customGrad(((logits: Tensor, targets: Tensor, save: (tensors: Tensor[]) => void) => {
    save([logits, targets]);
    const perRow = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, targets)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return {
      value: tf.mean(perRow),
      gradFunc: (dy: Tensor, [savedLogits, savedTargets]: Tensor[]) => [
        tf.mul(dy, tf.div(tf.sub(tf.sigmoid(savedLogits!), savedTargets!), savedLogits!.size)),
        tf.zerosLike(savedTargets!),
      ],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (logits: Tensor, targets: Tensor) => Tensor;
  return async (epochs) => {
    await tf.setBackend('wasm');
    const started = process.hrtime.bigint();
    let epochLoss = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      epochLoss = 0;
      for (let start = 0; start < rows; start += batchSize) {
        const count = Math.min(batchSize, rows - start);
        const x = tf.tensor2d(matrix.subarray(start * shape.inputs, (start + count) * shape.inputs), [count, shape.inputs]);
        const y = tf.tensor2d(labels.subarray(start, start + count), [count, 1]);
        // minimize() tidies the forward and backward intermediates itself.
        const cost = optimizer.minimize(() => {
          let activations = x;
          for (const layer of layers) {
            activations = tf.fused.matMul({ a: activations, b: layer.weights, bias: layer.bias, activation: layer.hidden ? 'relu' : 'linear' }) as typeof x;
          }
          return meanSigmoidCrossEntropy(activations, y) as import('@tensorflow/tfjs-core').Scalar;
        }, true);
        tf.dispose([x, y]);
        if (!cost) throw new EngineError('BENCH_OUTPUT', 'tfjs optimizer.minimize returned no loss');
        // Reading the loss each step, as churnkit's trainBatch returns it each step.
        epochLoss += (count / rows) * cost.dataSync()[0]!;
        cost.dispose();
      }
    }
    const msPerEpoch = Number(process.hrtime.bigint() - started) / 1e6 / epochs;
    if (!Number.isFinite(epochLoss)) throw new EngineError('BENCH_OUTPUT', `tfjs training produced a non-finite loss (${epochLoss})`);
    return { msPerEpoch, lastEpochLoss: epochLoss };
  };
}
