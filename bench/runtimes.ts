/**
 * `npm run bench:runtimes` — churnkit in every runtime it targets, beside tfjs-backend-wasm and
 * onnxruntime-web in the same runtimes: time from modules loaded to the first probability,
 * single-row p50 inside the runtime, what a page or Worker downloads, and the boot a storefront
 * pays. The package is packed and installed into a scratch project (with the peers), and each
 * runtime runs it from there: Node (with and without SIMD), Deno and Bun from npm, workerd
 * through miniflare, headless Chromium under the strict CSP of docs/runtimes.md. Writes
 * bench/results/runtimes.json ("Runtimes" in bench/RESULTS.md).
 *
 *   node dist/bench/runtimes.js [--repeats 5]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { chromium, type Browser } from 'playwright-core';
import type { NetworkShape } from '../src/engine/types.js';
import { bunEnvironment, cleanEnvironment, denoEnvironment, packAndInstall } from './installed-package.js';
import { onnxModelBytes } from './peers/onnx-graph.js';
import { machineInfo, writeResults, type Cell, type TargetResult } from './results-file.js';
import { repoRoot } from './repo-root.js';
import { churnkitProbe, CHURNKIT_WORKER, kernelOnlyProbe, onnxProbe, PEER_COMPILE_WORKER, RUN_PROBE, tfjsProbe } from './runtime-probes.js';
import { formatFigure, median, roundFigure } from './stats.js';
import { bundleWorker } from './worker-bundle.js';
import { layerParameters, seededParameters } from './workloads.js';

/** The shipped model's network: the peers run the same shape. */
const STOREFRONT_SHAPE: NetworkShape = { inputs: 47, layers: [{ units: 64, activation: 'relu' }, { units: 32, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] };
const LIBRARIES = ['churnkit', 'tfjs-wasm', 'ort-web'] as const;
type Library = (typeof LIBRARIES)[number];
const RUNTIMES = ['Node', 'Node without SIMD', 'Deno', 'Bun', 'workerd', 'Chromium'] as const;
type Runtime = (typeof RUNTIMES)[number];

interface ProbeResult {
  engine?: string;
  importMs?: number;
  firstScoreMs?: number;
  singleRowP50Us?: number;
  error?: string;
}

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' } } });
const repeats = Number(values.repeats);
/** Fresh Node processes for the kernel-only cold start, per repeat. */
const KERNEL_ONLY_STARTS_PER_REPEAT = 5;
const root = repoRoot();
const loadAtStart = loadavg()[0]!;
const scratch = mkdtempSync(join(tmpdir(), 'churnkit-runtimes-'));
const peerVersion = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

try {
  const peers = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', 'onnxruntime-web'].map((name) => `${name}@${peerVersion(name)}`);
  const { project, installSeconds } = packAndInstall(scratch, peers);
  log(`installed the packed package and ${peers.join(', ')} in ${installSeconds.toFixed(0)} s`);
  const probes = join(project, 'probes');
  mkdirSync(probes);
  writeProbes(probes, project);

  const runs = new Map<string, ProbeResult[]>();
  const record = (runtime: Runtime, library: Library, result: ProbeResult) => runs.set(`${runtime}|${library}`, [...(runs.get(`${runtime}|${library}`) ?? []), result]);

  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const library of LIBRARIES) {
      record('Node', library, runScript(process.execPath, [], probes, library));
      if (library === 'churnkit') record('Node without SIMD', library, runScript(process.execPath, ['--no-enable-sse4-1'], probes, library));
      record('Deno', library, runScript(join(root, 'node_modules', '.bin', 'deno'), ['run', '--allow-read', '--allow-env', '--allow-sys'], probes, library, denoEnvironment(scratch)));
      record('Bun', library, runScript(join(root, 'node_modules', '.bin', 'bun'), [], probes, library, bunEnvironment(scratch)));
    }
    record('workerd', 'churnkit', await churnkitInWorkerd(probes));
    log(`repeat ${repeat}/${repeats}: Node, Deno, Bun, workerd done`);
  }
  for (const peer of ['tfjs-wasm', 'ort-web'] as const) record('workerd', peer, await peerInWorkerd(project, peer));
  for (const [library, results] of await inChromium(project, probes, repeats)) for (const result of results) record('Chromium', library, result);

  // One figure per process, and a process costs about 0.1 s: many of them, so the median does
  // not hang on which of the machine's two speed levels a handful of starts happened to meet.
  // Through churnkit/engine (what the kernel alone needs) and, alternately so both meet the same machine, through the whole core.
  const kernelOnly: number[] = [];
  const kernelOnlyViaCore: number[] = [];
  for (let start = 0; start < repeats * KERNEL_ONLY_STARTS_PER_REPEAT; start++) {
    kernelOnly.push(runKernelOnly(probes, 'kernel-only.mjs'));
    kernelOnlyViaCore.push(runKernelOnly(probes, 'kernel-only-via-core.mjs'));
  }
  const sizes = await downloadSizes(project);
  writeReport(runs, { kernelOnly, kernelOnlyViaCore }, sizes);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function log(line: string): void {
  process.stderr.write(`runtimes: ${line}\n`);
}

function writeProbes(folder: string, project: string): void {
  const parameters = seededParameters(STOREFRONT_SHAPE, 2);
  const layers = JSON.stringify(layerParameters(STOREFRONT_SHAPE, parameters).map((layer, index) => ({
    weights: [...layer.weights], bias: [...layer.bias], fanIn: layer.fanIn, units: layer.units, activation: STOREFRONT_SHAPE.layers[index]!.activation === 'sigmoid' ? 'sigmoid' : 'relu',
  })));
  writeFileSync(join(folder, 'model.onnx'), onnxModelBytes(STOREFRONT_SHAPE, parameters));
  writeFileSync(join(folder, 'run-probe.mjs'), RUN_PROBE);
  writeFileSync(join(folder, 'churnkit.mjs'), churnkitProbe({ core: 'churnkit', simd: 'churnkit/wasm/simd', scalar: 'churnkit/wasm/scalar', models: 'churnkit/models' }));
  writeFileSync(join(folder, 'tfjs-wasm.mjs'), tfjsProbe({ core: '@tensorflow/tfjs-core', wasm: '@tensorflow/tfjs-backend-wasm' }, `${join(project, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`, layers, STOREFRONT_SHAPE.inputs));
  writeFileSync(join(folder, 'ort-web.mjs'), onnxProbe({ ort: 'onnxruntime-web' }, `${join(project, 'node_modules/onnxruntime-web/dist')}/`, "async () => new Uint8Array((await import('node:fs')).readFileSync(new URL('./model.onnx', import.meta.url)))", STOREFRONT_SHAPE.inputs));
  writeFileSync(join(folder, 'kernel-only.mjs'), kernelOnlyProbe(JSON.stringify(STOREFRONT_SHAPE), JSON.stringify([...parameters]), 'churnkit/engine'));
  writeFileSync(join(folder, 'kernel-only-via-core.mjs'), kernelOnlyProbe(JSON.stringify(STOREFRONT_SHAPE), JSON.stringify([...parameters]), 'churnkit'));
  // The browser's copies: the same probes, importing by URL (churnkit) or bundled (the peers, whose modules use bare imports).
  writeFileSync(join(folder, 'churnkit.browser.mjs'), churnkitProbe({
    core: '/node_modules/churnkit/dist/bundle/index.js', simd: '/node_modules/churnkit/wasm/simd.js', scalar: '/node_modules/churnkit/wasm/scalar.js', models: '/node_modules/churnkit/dist/bundle/models.js',
  }));
  writeFileSync(join(folder, 'tfjs-wasm.browser.src.mjs'), tfjsProbe({ core: '@tensorflow/tfjs-core', wasm: '@tensorflow/tfjs-backend-wasm' }, '/node_modules/@tensorflow/tfjs-backend-wasm/dist/', layers, STOREFRONT_SHAPE.inputs));
  writeFileSync(join(folder, 'ort-web.browser.src.mjs'), onnxProbe({ ort: 'onnxruntime-web/wasm' }, '/node_modules/onnxruntime-web/dist/', "async () => new Uint8Array(await (await fetch('/probes/model.onnx')).arrayBuffer())", STOREFRONT_SHAPE.inputs));
  writeFileSync(join(folder, 'page.html'), '<!doctype html><meta charset="utf-8"><title>probe</title><script type="module" src="/probes/page.mjs"></script><p id="result"></p>\n');
  writeFileSync(join(folder, 'page.mjs'), `const library = new URL(location.href).searchParams.get('library');
const { probe } = await import('/probes/' + library + '.browser.mjs');
let result;
try { result = await probe(); } catch (error) { result = { error: String(error?.message ?? error).split('\\n')[0] }; }
document.querySelector('#result').textContent = JSON.stringify(result);
`);
}

function runScript(command: string, flags: string[], folder: string, library: Library, env: Record<string, string> = {}): ProbeResult {
  const run = spawnSync(command, [...flags, 'run-probe.mjs', `${library}.mjs`], { cwd: folder, env: cleanEnvironment(env), encoding: 'utf8', timeout: 120_000 });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (!line.startsWith('{')) return { error: `exited with ${run.status ?? run.signal}: ${run.stderr.trim().split('\n').slice(-2).join(' ')}`.slice(0, 300) };
  return JSON.parse(line) as ProbeResult;
}

function runKernelOnly(folder: string, probe: string): number {
  const run = spawnSync(process.execPath, [probe], { cwd: folder, env: cleanEnvironment(), encoding: 'utf8' });
  return (JSON.parse(run.stdout.trim()) as { kernelColdStartMs: number }).kernelColdStartMs;
}

async function timedFetch(url: URL): Promise<{ ms: number; body: Record<string, unknown> }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = (await response.json()) as Record<string, unknown>;
  return { ms: performance.now() - started, body };
}

/** A fresh isolate: the round trip of an empty answer, then the first score (kernel + model + one record) minus that round trip. */
async function churnkitInWorkerd(folder: string): Promise<ProbeResult> {
  writeFileSync(join(folder, 'worker.mjs'), CHURNKIT_WORKER);
  const { modules } = await bundleWorker(folder, 'worker.mjs');
  const worker = new Miniflare({ modules, compatibilityDate: '2026-04-01', host: '127.0.0.1', port: 0 });
  try {
    const url = await worker.ready;
    const roundTrips: number[] = [];
    for (let k = 0; k < 7; k++) roundTrips.push((await timedFetch(new URL('/noop', url))).ms);
    const first = await timedFetch(new URL('/first', url));
    const rows = await timedFetch(new URL('/rows', url));
    return { engine: String(first.body.engine), firstScoreMs: Math.max(0, first.ms - median(roundTrips)), singleRowP50Us: Number(rows.body.singleRowP50Us) };
  } catch (error) {
    return { error: String((error as Error).message).split('\n')[0] };
  } finally {
    await worker.dispose();
  }
}

/** The peers' APIs take their .wasm as bytes or a URL and compile it at run time; a Worker tries exactly that. */
async function peerInWorkerd(project: string, peer: 'tfjs-wasm' | 'ort-web'): Promise<ProbeResult> {
  const folder = join(project, 'probes', `workerd-${peer}`);
  mkdirSync(folder, { recursive: true });
  const wasm = peer === 'tfjs-wasm' ? 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm' : 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm';
  writeFileSync(join(folder, 'peer.bin'), readFileSync(join(project, wasm)));
  writeFileSync(join(folder, 'worker.mjs'), PEER_COMPILE_WORKER);
  const { modules } = await bundleWorker(folder, 'worker.mjs');
  const worker = new Miniflare({ modules, compatibilityDate: '2026-04-01', host: '127.0.0.1', port: 0 });
  try {
    const { body } = await timedFetch(await worker.ready);
    return body.compiled ? { error: 'compiled its .wasm at run time (not measured further)' } : { error: `it compiles its .wasm from bytes at run time, and workerd answers "${String(body.error)}"` };
  } finally {
    await worker.dispose();
  }
}

/** Each library in a fresh page (its own module registry), served on loopback under the documented strict CSP. */
async function inChromium(project: string, folder: string, times: number): Promise<Map<Library, ProbeResult[]>> {
  for (const peer of ['tfjs-wasm', 'ort-web']) {
    await build({ entryPoints: [join(folder, `${peer}.browser.src.mjs`)], outfile: join(folder, `${peer}.browser.mjs`), bundle: true, format: 'esm', platform: 'browser', minify: true, logLevel: 'silent' });
  }
  const policy = readFileSync(join(root, 'docs', 'runtimes.md'), 'utf8').match(/```text file=csp\.txt\n(.*)\n```/)![1]!;
  const server = await serveProject(project, policy);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const results = new Map<Library, ProbeResult[]>();
  try {
    for (let repeat = 0; repeat < times; repeat++) {
      for (const library of LIBRARIES) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`${origin}/probes/page.html?library=${library}`);
        let result: ProbeResult;
        try {
          await page.waitForFunction(() => document.querySelector('#result')?.textContent?.startsWith('{'), undefined, { timeout: 60_000 });
          result = JSON.parse((await page.textContent('#result'))!) as ProbeResult;
        } catch {
          result = { error: errors[0] ?? 'no result within 60 s' };
        }
        results.set(library, [...(results.get(library) ?? []), result]);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  log('Chromium done');
  return results;
}

function serveProject(project: string, policy: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
  const server = createServer((request, response) => {
    const relative = normalize(new URL(request.url ?? '/', 'http://localhost').pathname.slice(1));
    const file = join(project, relative);
    if (relative.startsWith('..') || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-security-policy': policy });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Size {
  what: string;
  raw: number;
  gzip: number;
}

async function bundled(project: string, name: string, source: string, conditions: string[]): Promise<Uint8Array> {
  const entry = join(project, 'probes', `${name}.entry.mjs`);
  writeFileSync(entry, source);
  const result = await build({ entryPoints: [entry], bundle: true, write: false, minify: true, format: 'esm', platform: 'browser', conditions, external: ['*.wasm'], logLevel: 'silent' });
  return result.outputFiles[0]!.contents;
}

async function downloadSizes(project: string): Promise<Size[]> {
  const size = (what: string, bytes: Uint8Array): Size => ({ what, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  const file = (path: string) => readFileSync(join(project, 'node_modules', path));
  return [
    size('churnkit: kernel, SIMD (churnkit.simd.wasm)', file('churnkit/build/churnkit.simd.wasm')),
    size('churnkit: kernel, scalar (churnkit.scalar.wasm)', file('churnkit/build/churnkit.scalar.wasm')),
    size('churnkit: core JS a Worker or page loads (loadEngine, parseModelFile, loadModel, minified)', await bundled(project, 'core', "export { loadEngine, parseModelFile, loadModel } from 'churnkit';", ['workerd', 'browser'])),
    size('churnkit: the shipped model module (churnkit/models, minified)', await bundled(project, 'models', "export * from 'churnkit/models';", ['workerd', 'browser'])),
    size('churnkit: all the Worker of docs/runtimes.md loads (loadEngine, loadStorefrontModel: core JS without parseModelFile, and the model, minified)', await bundled(project, 'worker', "export { loadEngine } from 'churnkit'; export { loadStorefrontModel } from 'churnkit/models';", ['workerd', 'browser'])),
    size('tfjs-core + tfjs-backend-wasm JS (minified)', await bundled(project, 'tfjs', "export * as tf from '@tensorflow/tfjs-core'; export * as wasm from '@tensorflow/tfjs-backend-wasm';", ['browser'])),
    size('tfjs-backend-wasm-simd.wasm', file('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')),
    size('onnxruntime-web/wasm JS (minified)', await bundled(project, 'ort', "export * from 'onnxruntime-web/wasm';", ['browser'])),
    size('ort-wasm-simd-threaded.wasm', file('onnxruntime-web/dist/ort-wasm-simd-threaded.wasm')),
  ];
}

function figure(results: ProbeResult[] | undefined, key: 'importMs' | 'firstScoreMs' | 'singleRowP50Us', digits: number): string {
  return spread((results ?? []).map((result) => result[key]).filter((value): value is number => typeof value === 'number'), digits);
}

/** "median (min-max)", the value alone when there is one, or a dash for none. */
function spread(values: number[], digits = 1): string {
  if (values.length === 0) return '—';
  return values.length === 1 ? values[0]!.toFixed(digits) : formatFigure(roundFigure(values), digits);
}

function medianOf(results: ProbeResult[] | undefined, key: 'importMs' | 'firstScoreMs' | 'singleRowP50Us'): number | null {
  const values = (results ?? []).map((result) => result[key]).filter((value): value is number => typeof value === 'number');
  return values.length === 0 ? null : median(values);
}

function writeReport(runs: Map<string, ProbeResult[]>, { kernelOnly, kernelOnlyViaCore }: { kernelOnly: number[]; kernelOnlyViaCore: number[] }, sizes: Size[]): void {
  const rows: Cell[][] = [];
  for (const runtime of RUNTIMES) {
    for (const library of LIBRARIES) {
      const results = runs.get(`${runtime}|${library}`);
      if (!results) continue;
      const failed = results.find((result) => result.error !== undefined);
      if (failed && results.every((result) => result.error !== undefined)) {
        rows.push([runtime, library, `does not load: ${failed.error}`, '—', '—', '—']);
        continue;
      }
      rows.push([runtime, library, results.find((result) => result.engine)?.engine ?? '?', figure(results, 'importMs', 1), figure(results, 'firstScoreMs', 1), figure(results, 'singleRowP50Us', 2)]);
    }
  }
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const nodeBoot = (runs.get('Node|churnkit') ?? []).map((result) => (result.importMs ?? NaN) + (result.firstScoreMs ?? NaN)).filter(Number.isFinite);
  const workerdFirst = medianOf(runs.get('workerd|churnkit'), 'firstScoreMs');
  const simdWasm = sizes[0]!.raw;
  const coreJs = sizes[2]!.raw;
  const targets: TargetResult[] = [
    { name: 'churnkit.simd.wasm size, KB', measured: Number(kb(simdWasm)), target: '<= 32 KB', met: simdWasm <= 32 * 1024 },
    { name: 'core JS minified, KB', measured: Number(kb(coreJs)), target: '<= 30 KB', met: coreJs <= 30 * 1024 },
    { name: 'workerd: first score after the modules are loaded (kernel + shipped model + one record), ms', measured: workerdFirst, target: '<= 10 ms', met: workerdFirst !== null && workerdFirst <= 10 },
    { name: 'Node: storefront boot (import, load the shipped model with loadStorefrontModel, first probability), ms', measured: nodeBoot.length ? median(nodeBoot) : null, target: '<= 30 ms', met: nodeBoot.length > 0 && median(nodeBoot) <= 30 },
    { name: 'Node: kernel-only cold start (import churnkit/engine, kernel, network, first probability), ms', measured: median(kernelOnly), target: '<= 20 ms', met: median(kernelOnly) <= 20 },
  ];
  const file = writeResults({
    name: 'runtimes',
    title: 'Runtimes',
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    targets,
    tables: [
      {
        title: `Per runtime: median (min-max) over ${repeats} fresh starts; single-row p50 over 15 blocks inside the runtime`,
        columns: ['runtime', 'library', 'engine', 'import ms', 'modules loaded → first score ms', 'single-row p50 µs'],
        rows,
      },
      {
        title: `Node kernel-only cold start by entry: median (min-max) over ${kernelOnly.length} fresh processes each, alternating`,
        columns: ['loadEngine imported from', 'ms'],
        rows: [
          ['churnkit/engine (the kernel on its own)', spread(kernelOnly)],
          ['churnkit (the whole core)', spread(kernelOnlyViaCore)],
        ],
      },
      {
        title: 'What a page or Worker downloads',
        columns: ['file', 'raw KB', 'gzip KB'],
        rows: sizes.map((size) => [size.what, kb(size.raw), kb(size.gzip)]),
      },
      {
        title: 'Targets',
        columns: ['target', 'measured', 'bar', 'met'],
        rows: targets.map((target) => [target.name, target.measured === null ? 'not measured' : Number(target.measured.toFixed(1)), target.target, target.met ? 'yes' : 'no']),
      },
    ],
    notes: [
      'churnkit scores a raw record (its figure includes encoding the record through the model\'s feature spec); the peers are given an encoded row of the same 47 inputs and run the same 47→64→32→1 network (tfjs as fused matMuls, onnxruntime-web as a Gemm/Relu/Sigmoid graph on one thread).',
      '"modules loaded → first score": churnkit loads the kernel, loads the shipped model as docs/runtimes.md shows (`loadStorefrontModel`: the build already ran its format checks, checksum and probes; a model of your own parsed with `parseModelFile` gets them on every load, see the cold-start table of the main bench) and scores one record; a peer initialises its backend, builds the network and scores one row. In workerd it is measured from outside: the first request to a fresh isolate minus the median round trip of an empty answer (the clock inside a Worker stands still between I/O events).',
      'Single-row p50: 15 blocks of 2,000 calls (tfjs 500, onnxruntime-web 200, workerd 20,000 for its millisecond clock), the median block\'s time per call.',
      'Peers in workerd: neither tfjs-backend-wasm nor onnxruntime-web takes a precompiled WebAssembly.Module; both compile their .wasm from bytes (or a fetched URL) at run time, which workerd refuses. The Worker tries exactly that compile with the peer\'s own .wasm and reports workerd\'s answer.',
      'Chromium runs every library under the same Content-Security-Policy as docs/runtimes.md (no unsafe-eval); the peers are bundled with esbuild (their modules use bare imports), churnkit is imported by URL from node_modules as the doc shows: the package\'s bundles, the core in three requests and the shipped model in a fourth.',
      `Node kernel-only cold start: median of ${kernelOnly.length} fresh processes (${Math.min(...kernelOnly).toFixed(1)}–${Math.max(...kernelOnly).toFixed(1)} ms), from the installed package as a user imports it: \`churnkit/engine\` and \`churnkit/wasm/simd\`, \`loadEngine\`, a 47→64→32→1 network, one probability. The same through \`churnkit\` parses the whole core (about 88 KB: training, metrics, features, BG/NBD) before its first line runs.`,
      `Download sizes: esbuild bundles, minified, gzip level 9. 1-minute load average when the run started: ${loadAtStart.toFixed(1)} (the machine is shared with other engineers' work; timings are wall-clock).`,
    ],
    runs: Object.fromEntries(runs),
    kernelOnlyColdStartMs: kernelOnly,
    kernelOnlyViaCoreColdStartMs: kernelOnlyViaCore,
  });
  log(`wrote ${file}`);
}
