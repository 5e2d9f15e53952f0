/**
 * One cold start, run in a fresh `node` process by cold-start.ts: import the backend, load
 * the MLP's weights, compute one probability, and print the timings and peak RSS as JSON.
 * The ONNX peers read the model file from disk, as an application would.
 *
 * `churnkit-default-model` is the storefront's boot: import the package (the runtime-neutral
 * core and the kernel through `churnkit/wasm/simd`, as every runtime does), parse and load the
 * default model file, score one raw record.
 *
 * Usage: node dist/bench/cold-start-child.js <backend-id> <fixtures folder>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionsError } from '../src/errors.js';
import { COLD_START_FIXTURES } from './cold-start-fixtures.js';
import { peakResidentBytes } from './peak-resident-bytes.js';
import type { Backend } from './peers/backend.js';

const importStarted = performance.now();

/**
 * The library's own modules, imported first so the report can split the cold start into
 * "import" and "load + first probability" (the backend's later imports hit the module cache).
 */
async function importLibrary(id: string): Promise<void> {
  switch (id) {
    case 'churnkit-simd':
    case 'churnkit-scalar':
    case 'churnkit-js':
      await import('../src/node/index.js');
      return;
    case 'churnkit-default-model':
      await Promise.all([import('../src/index.js'), import('churnkit/wasm/simd')]);
      return;
    case 'tfjs-wasm':
      await Promise.all([import('@tensorflow/tfjs-core'), import('@tensorflow/tfjs-backend-wasm')]);
      return;
    case 'tfjs-cpu':
      await Promise.all([import('@tensorflow/tfjs-core'), import('@tensorflow/tfjs-backend-cpu')]);
      return;
    case 'ort-node':
      await import('onnxruntime-node');
      return;
    case 'ort-web':
      await import('onnxruntime-web');
      return;
  }
}

async function firstProbability(id: string, fixtures: string): Promise<number> {
  if (id === 'churnkit-default-model') {
    const { parseModelFile, loadModel, loadEngine } = await import('../src/index.js');
    const { default: kernel } = await import('churnkit/wasm/simd');
    const file = await parseModelFile(readFileSync(join(fixtures, COLD_START_FIXTURES.model)), { file: COLD_START_FIXTURES.model });
    const model = loadModel(await loadEngine({ kernel }), file);
    return model.predict(JSON.parse(readFileSync(join(fixtures, COLD_START_FIXTURES.record), 'utf8')) as Record<string, string | number | null>);
  }
  const { MLP_SHAPE, seededParameters, seededRows } = await import('./workloads.js');
  const row = seededRows(1, MLP_SHAPE.inputs, 3);
  if (id === 'ort-node' || id === 'ort-web') {
    const { loadOnnxRuntime, onnxSession } = await import('./peers/onnxruntime.js');
    const { ONNX_INPUT, ONNX_OUTPUT } = await import('./peers/onnx-graph.js');
    const kind = id === 'ort-node' ? 'node' : 'web';
    const ort = await loadOnnxRuntime(kind);
    const session = await onnxSession(ort, kind, readFileSync(join(fixtures, COLD_START_FIXTURES.onnx)));
    const outputs = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', row, [1, MLP_SHAPE.inputs]) });
    return (outputs[ONNX_OUTPUT]!.data as Float32Array)[0]!;
  }
  if (id === 'churnkit-simd' || id === 'churnkit-scalar' || id === 'churnkit-js') {
    // Exactly what an application does with `churnkit/node`, no bench adapter in between.
    const { loadEngine, createJsEngine } = await import('../src/node/index.js');
    const engine = id === 'churnkit-js' ? createJsEngine() : await loadEngine({ simd: id === 'churnkit-simd', fallback: 'error' });
    const network = engine.createNetwork(MLP_SHAPE, { maxBatch: 1 });
    network.setParameters(seededParameters(MLP_SHAPE, 2));
    network.input.set(row);
    return network.predictInput();
  }
  const network = await (await backendFor(id)).load(MLP_SHAPE, seededParameters(MLP_SHAPE, 2), { maxBatch: 1 });
  return network.predictOne(row);
}

/** Imports only the one peer's module, so no other peer's code is counted in its cold start. */
async function backendFor(id: string): Promise<Backend> {
  switch (id) {
    case 'plain-js':
      return (await import('./peers/plain-js.js')).plainJsBackend();
    case 'tfjs-wasm':
    case 'tfjs-cpu':
      return (await import('./peers/tfjs.js')).tfjsBackend(id === 'tfjs-wasm' ? 'wasm' : 'cpu');
    default:
      throw new OptionsError('BENCH_OPTIONS', `cold-start child: unknown backend "${id}", expected a churnkit, plain-js, tfjs or ort backend id`);
  }
}

const [id = '', fixtures = ''] = process.argv.slice(2);
await importLibrary(id);
const imported = performance.now();
const probability = await firstProbability(id, fixtures);
const done = performance.now();
process.stdout.write(`${JSON.stringify({
  probability,
  sinceProcessStartMs: done,
  importToProbabilityMs: done - importStarted,
  importMs: imported - importStarted,
  maxRssBytes: peakResidentBytes(),
})}\n`);

