/**
 * The scripts the runtimes bench runs inside each runtime, as source text: they import the
 * installed package (or a peer) exactly as a user's code does. Each prints, or answers, one
 * JSON object: import time, time from modules loaded to the first probability, single-row
 * p50 and the engine, or the error that stopped it.
 *
 * Single-row timing runs in blocks (a figure per block, p50 over blocks): workerd's clock only
 * moves between I/O events, so inside a Worker a block is timed across two timer turns.
 */

/** A raw record as a storefront sends it, in 16 variants so no call sees the same input twice in a row. */
export const PROBE_RECORDS = `Array.from({ length: 16 }, (_, k) => ({ recency_days: 3 + 11 * k, tenure_days: 200 - 9 * k, has_ordered: k % 3 ? 1 : 0, log_orders_total: 0.1 * k, cart_abandonment_rate: k / 16, mean_rating: k % 5 }))`;

export const BLOCKS = 15;

/** Encoded rows for the peers, which take numbers, not raw records (churnkit's figure includes encoding the record). */
function probeRows(inputs: number): string {
  return `Array.from({ length: 16 }, (_, k) => Float32Array.from({ length: ${inputs} }, (_, i) => ((i * 7 + k) % 13) / 13 - 0.5))`;
}

/** The start of every probe module: a millisecond clock, a turn of the event loop, and the probe's start time. */
const PROBE_START = `
const now = () => performance.now();
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
export async function probe() {
  const started = now();`;

/** The block timing loop, for a `score(input)` defined before it, inputs from `inputs`, and a `now()` clock in ms. */
function blockLoop(inputs: string, rowsPerBlock: number): string {
  return `
  const inputs = ${inputs};
  const perRowUs = [];
  let sink = 0;
  for (let block = 0; block < ${BLOCKS}; block++) {
    await tick();
    const started = now();
    for (let row = 0; row < ${rowsPerBlock}; row++) sink += await score(inputs[row & 15]);
    await tick();
    perRowUs.push(((now() - started) * 1000) / ${rowsPerBlock});
  }
  perRowUs.sort((a, b) => a - b);
  const singleRowP50Us = perRowUs[${Math.floor(BLOCKS / 2)}];
  if (!(sink >= 0)) throw new Error('a probability was NaN');`;
}

/** Node, Deno, Bun and the browser page: churnkit through its public entries. */
export function churnkitProbe(imports: { core: string; simd: string; scalar: string; models: string }): string {
  return `${PROBE_START}
  const { loadEngine } = await import('${imports.core}');
  const { default: kernel } = await import('${imports.simd}');
  const { default: scalarKernel } = await import('${imports.scalar}');
  const { loadStorefrontModel } = await import('${imports.models}');
  const imported = now();
  const engine = await loadEngine({ kernel, scalarKernel });
  const model = await loadStorefrontModel(engine);
  const first = model.predict(${PROBE_RECORDS}[0]);
  const scored = now();
  if (!(first > 0 && first < 1)) throw new Error('first probability ' + first);
  const score = (record) => model.predict(record);
  ${blockLoop(PROBE_RECORDS, 2000)}
  return { engine: engine.kind, importMs: imported - started, firstScoreMs: scored - imported, singleRowP50Us };
}`;
}

/** Node only: the kernel on its own (no model file), the figure the cold-start bench tracks; `entry` is where `loadEngine` is imported from. */
export function kernelOnlyProbe(shape: string, parameters: string, entry: 'churnkit/engine' | 'churnkit'): string {
  return `
const started = performance.now();
const { loadEngine } = await import('${entry}');
const { default: kernel } = await import('churnkit/wasm/simd');
const engine = await loadEngine({ kernel });
const network = engine.createNetwork(${shape}, { maxBatch: 1 });
network.setParameters(new Float32Array(${parameters}));
network.input.fill(0.5);
const probability = network.predictInput();
console.log(JSON.stringify({ engine: engine.kind, kernelColdStartMs: performance.now() - started, probability }));`;
}

/**
 * tfjs-core with its WebAssembly backend, the network as fused matMuls from `weights.json`
 * (`[{ weights, bias, fanIn, units, activation }]`). `wasmFolder` is where its .wasm files are.
 */
export function tfjsProbe(imports: { core: string; wasm: string }, wasmFolder: string, layers: string, inputCount: number): string {
  return `${PROBE_START}
  const tf = await import('${imports.core}');
  const backend = await import('${imports.wasm}');
  const imported = now();
  backend.setWasmPaths('${wasmFolder}');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  const layers = ${layers}.map((layer) => ({ weights: tf.tensor2d(layer.weights, [layer.fanIn, layer.units]), bias: tf.tensor1d(layer.bias), activation: layer.activation }));
  const score = (row) => {
    const output = tf.tidy(() => layers.reduce((input, layer) => tf.fused.matMul({ a: input, b: layer.weights, bias: layer.bias, activation: layer.activation }), tf.tensor2d(row, [1, ${inputCount}])));
    const value = output.dataSync()[0];
    output.dispose();
    return value;
  };
  const first = score(${probeRows(inputCount)}[0]);
  const scored = now();
  if (!(first > 0 && first < 1)) throw new Error('first probability ' + first);
  ${blockLoop(probeRows(inputCount), 500)}
  return { engine: tf.getBackend(), importMs: imported - started, firstScoreMs: scored - imported, singleRowP50Us };
}`;
}

/** onnxruntime-web on one thread, the same network as an ONNX graph whose bytes `loadModelBytes` (an async function's source) returns. */
export function onnxProbe(imports: { ort: string }, wasmFolder: string, loadModelBytes: string, inputCount: number): string {
  return `${PROBE_START}
  const ort = await import('${imports.ort}');
  const imported = now();
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = '${wasmFolder}';
  const session = await ort.InferenceSession.create(await (${loadModelBytes})(), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const score = async (row) => {
    const outputs = await session.run({ x: new ort.Tensor('float32', row, [1, ${inputCount}]) });
    return outputs.y.data[0];
  };
  const first = await score(${probeRows(inputCount)}[0]);
  const scored = now();
  if (!(first > 0 && first < 1)) throw new Error('first probability ' + first);
  ${blockLoop(probeRows(inputCount), 200)}
  return { engine: 'wasm', importMs: imported - started, firstScoreMs: scored - imported, singleRowP50Us };
}`;
}

/** The script a runtime runs: imports a probe module and prints its result (or its error) as one JSON line. */
export const RUN_PROBE = `
const { probe } = await import(new URL(globalThis.process?.argv?.[2] ?? globalThis.Deno?.args?.[0], 'file://' + (globalThis.process?.cwd?.() ?? globalThis.Deno.cwd()) + '/').href);
try {
  console.log(JSON.stringify(await probe()));
} catch (error) {
  console.log(JSON.stringify({ error: String(error?.message ?? error).split('\\n')[0] }));
}`;

/**
 * The Worker for workerd: \`/noop\` answers at once (the round trip to subtract), \`/first\`
 * loads the kernel and the shipped model and scores one record (on a fresh isolate: the first
 * request), \`/rows\` times single-row scoring in blocks.
 */
export const CHURNKIT_WORKER = `
import { loadEngine } from 'churnkit';
import kernel from 'churnkit/wasm/simd';
import { loadStorefrontModel } from 'churnkit/models';
const now = () => Date.now();
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
let loaded;
async function load() {
  const engine = await loadEngine({ kernel });
  return { engine, model: await loadStorefrontModel(engine) };
}
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === '/noop') return Response.json({});
    loaded ??= await load();
    const { engine, model } = loaded;
    if (path === '/first') return Response.json({ engine: engine.kind, probability: model.predict(${PROBE_RECORDS}[0]) });
    const score = (record) => model.predict(record);
    ${blockLoop(PROBE_RECORDS, 20_000)}
    return Response.json({ engine: engine.kind, singleRowP50Us });
  },
};`;

/** A Worker that tries to compile a peer's .wasm (given as bytes, the only form the peers' APIs take) and answers the outcome. */
export const PEER_COMPILE_WORKER = `
import bytes from './peer.bin';
export default {
  async fetch() {
    try {
      await WebAssembly.compile(bytes);
      return Response.json({ compiled: true });
    } catch (error) {
      return Response.json({ error: String(error.message) });
    }
  },
};`;
