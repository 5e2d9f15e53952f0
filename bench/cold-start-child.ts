/**
 * One cold start, run in a fresh `node` process by cold-start.ts: import the backend, load
 * the MLP's weights, compute one probability, and print the timings and peak RSS as JSON.
 * The ONNX peers read the model file from disk, as an application would.
 *
 * Usage: node dist/bench/cold-start-child.js <backend-id> <model.onnx>
 */
import { readFileSync } from 'node:fs';

const importStarted = performance.now();

async function firstProbability(id: string, onnxFile: string): Promise<number> {
  const { MLP_SHAPE, seededParameters, seededRows } = await import('./workloads.js');
  const row = seededRows(1, MLP_SHAPE.inputs, 3);
  if (id === 'ort-node' || id === 'ort-web') {
    const { loadOnnxRuntime, onnxSession } = await import('./peers/onnxruntime.js');
    const { ONNX_INPUT, ONNX_OUTPUT } = await import('./peers/onnx-graph.js');
    const kind = id === 'ort-node' ? 'node' : 'web';
    const ort = await loadOnnxRuntime(kind);
    const session = await onnxSession(ort, kind, readFileSync(onnxFile));
    const outputs = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', row, [1, MLP_SHAPE.inputs]) });
    return (outputs[ONNX_OUTPUT]!.data as Float32Array)[0]!;
  }
  const { createBackend, isBackendId } = await import('./peers/registry.js');
  if (!isBackendId(id)) throw new Error(`unknown backend "${id}"`);
  const network = await createBackend(id).load(MLP_SHAPE, seededParameters(MLP_SHAPE, 2), { maxBatch: 1 });
  return network.predictOne(row);
}

const [id = '', onnxFile = ''] = process.argv.slice(2);
const probability = await firstProbability(id, onnxFile);
const done = performance.now();
process.stdout.write(`${JSON.stringify({
  probability,
  sinceProcessStartMs: done,
  importToProbabilityMs: done - importStarted,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
})}\n`);
