/**
 * What a page or Worker downloads for the core, measured as `npm run bench:runtimes` measures
 * it ("core JS minified"): an esbuild bundle, minified, under the workerd and browser
 * conditions, of `loadEngine`, `parseModelFile` and `loadModel` from the compiled package.
 * Deterministic (same sources, same esbuild from the lockfile), so its size is asserted here;
 * the budget of issue 10 is 30 KB.
 */
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireFreshDist } from '../support/fresh-build.js';

const root = resolve(import.meta.dirname, '../..');
/** Issue 10's budget for the core a page loads. */
const BUDGET_BYTES = 30 * 1024;

let bundle: { bytes: number; inputs: string[] };

beforeAll(async () => {
  requireFreshDist();
  const result = await build({
    stdin: { contents: `export { loadEngine, parseModelFile, loadModel } from ${JSON.stringify(join(root, 'dist/src/index.js'))};`, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'browser'],
    external: ['*.wasm'],
    metafile: true,
    logLevel: 'silent',
  });
  // The modules that left code in the bundle (esbuild lists every module it read, tree-shaken ones with 0 bytes).
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  const inputs = Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path);
  bundle = { bytes: result.outputFiles[0]!.contents.length, inputs };
});

describe('the core a page or Worker loads to score (loadEngine, parseModelFile, loadModel, minified)', () => {
  it(`stays within the budget of ${BUDGET_BYTES / 1024} KB`, () => {
    expect(bundle.bytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('carries no training, no explanations and no TypeScript fallback engine: the caller brings those in when it uses them', () => {
    const carried = bundle.inputs.map((input) => input.replace(/^.*dist\/src\//, ''));
    const attached = ['engine/js-engine.js', 'engine/js-network.js', 'engine/wasm-training.js', 'engine/training-config.js', 'engine/trainable.js'];
    const explanations = ['explain/explainable.js', 'explain/integrated-gradients.js', 'explain/linear-contributions.js', 'explain/column-contributions.js'];
    for (const module of [...attached, ...explanations]) {
      expect(carried).not.toContain(module);
    }
    expect(carried).toContain('engine/wasm-network.js');
  });

  it("decodes weights with the standard decoder and carries none of Node's Buffer path (#native-base64 under these conditions)", () => {
    const carried = bundle.inputs.map((input) => input.replace(/^.*dist\/src\//, ''));
    expect(carried).toContain('model/native-base64.js');
    expect(carried).not.toContain('model/native-base64-buffer.js');
  });
});
