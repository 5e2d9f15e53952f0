import { describe, expect, it } from 'vitest';
import { checkParity } from '../../bench/parity.js';
import type { LoadedNetwork } from '../../bench/peers/backend.js';
import { onnxModelBytes } from '../../bench/peers/onnx-graph.js';
import { plainJsBackend } from '../../bench/peers/plain-js.js';
import { MLP_SHAPE, referenceProbability, seededParameters, seededRows } from '../../bench/workloads.js';
import { EngineError } from '../../src/errors.js';

const parameters = seededParameters(MLP_SHAPE, 2);
const rows = seededRows(32, MLP_SHAPE.inputs, 7);

describe('the bench parity check', () => {
  it('accepts the plain-JS peer, which computes the same network as the float64 reference', async () => {
    const network = await plainJsBackend().load(MLP_SHAPE, parameters, { maxBatch: 32 });
    const result = await checkParity('plain-js', 'mlp', network, MLP_SHAPE, parameters, rows, 32);
    expect(result.maxAbsDifference).toBeLessThan(1e-6);
  });

  it('aborts on a backend whose single-row output is off by 1e-4, naming backend, path and row', async () => {
    const exact = await plainJsBackend().load(MLP_SHAPE, parameters, { maxBatch: 32 });
    if (exact.mode !== 'sync') throw new Error('plain-JS peer is synchronous');
    const skewed: LoadedNetwork = { ...exact, mode: 'sync', predictOne: (row) => exact.predictOne(row) + 1e-4 };
    const check = checkParity('skewed', 'mlp', skewed, MLP_SHAPE, parameters, rows, 32);
    await expect(check).rejects.toThrow(EngineError);
    await expect(checkParity('skewed', 'mlp', skewed, MLP_SHAPE, parameters, rows, 32)).rejects.toThrow(/skewed on mlp, single-row row 1/);
  });

  it('aborts on a backend that returns NaN in a batch', async () => {
    const exact = await plainJsBackend().load(MLP_SHAPE, parameters, { maxBatch: 32 });
    const broken: LoadedNetwork = { ...exact, predictBatch: (_matrix, count) => new Float32Array(count).fill(Number.NaN) } as LoadedNetwork;
    await expect(checkParity('broken', 'mlp', broken, MLP_SHAPE, parameters, rows, 32)).rejects.toThrow(/batch row 1.*got NaN/);
  });
});

describe('the ONNX peer model', () => {
  it('runs in onnxruntime-node and matches the float64 reference within 1e-5', async () => {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(onnxModelBytes(MLP_SHAPE, parameters), { intraOpNumThreads: 1 });
    const outputs = await session.run({ x: new ort.Tensor('float32', rows, [32, MLP_SHAPE.inputs]) });
    const probabilities = outputs['y']!.data as Float32Array;
    expect(outputs['y']!.dims).toEqual([32, 1]);
    for (let row = 0; row < 32; row++) {
      const expected = referenceProbability(MLP_SHAPE, parameters, rows.subarray(row * MLP_SHAPE.inputs, (row + 1) * MLP_SHAPE.inputs));
      expect(Math.abs(probabilities[row]! - expected)).toBeLessThan(1e-5);
    }
    await session.release();
  });
});
