/**
 * The gradients a dense network needs that tfjs-core's Node bundle does not register (the
 * `@tensorflow/tfjs` union package registers them; the bench depends on tfjs-core only).
 * Same definitions as tfjs's own `register_all_gradients`, for the kernels our training uses.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { OptionsError } from '../../src/errors.js';

type Tf = typeof import('@tensorflow/tfjs-core');

export function registerDenseGradients(tf: Tf): void {
  const register = (config: Parameters<Tf['registerGradient']>[0]): void => {
    if (!tf.getGradient(config.kernelName)) tf.registerGradient(config);
  };
  /** Sums `dy` over the axes broadcasting stretched, back to `shape`. */
  const unbroadcast = (dy: Tensor, shape: number[]): Tensor => {
    const axes = tf.backend_util.getReductionAxes(shape, dy.shape);
    return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
  };

  register({ kernelName: 'Reshape', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy as Tensor, x!.shape) }) });
  register({ kernelName: 'Relu', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as Tensor, tf.step(tf.cast(x!, 'float32'))) }) });
  register({
    kernelName: 'Add',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy as Tensor, a!.shape), b: () => unbroadcast(dy as Tensor, b!.shape) }),
  });
  register({
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => {
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (transposeA || transposeB) throw new OptionsError('BENCH_GRADIENT', 'bench tfjs gradients: BatchMatMul with transposeA/transposeB set; expected plain matMul(a, b) as the bench network uses');
      return { a: () => tf.matMul(dy as Tensor, b!, false, true), b: () => tf.matMul(a!, dy as Tensor, true, false) };
    },
  });
}
