/**
 * `npm run build:models`: writes the `churnkit/models` entry (dist/models/), the shipped model
 * embedded in a JavaScript module, so every runtime can name it through the package: a Worker
 * or a page has no file system to read models/storefront.json from, and JSON imports still
 * need import attributes (or a bundler) in some of them. The model is verified here in full:
 * `parseModelFile` (bounded parse, schema, checksum, weights) and `loadModel` (its probes and
 * output bound) on the JavaScript engine and both kernels. A broken model fails the build, not
 * a storefront, and `loadStorefrontModel` skips what was proven here (model/verified-at-build.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJsEngine } from '../src/engine/js-engine.js';
import { loadModel } from '../src/model/churn-model.js';
import { parseModelFile } from '../src/model/model-file.js';
import { loadEngine } from '../src/node/index.js';
import { repoRoot } from '../bench/repo-root.js';

const root = repoRoot();
const source = join(root, 'models', 'storefront.json');
const text = readFileSync(source, 'utf8');
const embedded = JSON.stringify(JSON.parse(text));
const model = await parseModelFile(embedded, { file: source });
for (const engine of [createJsEngine(), await loadEngine({ simd: true, fallback: 'error' }), await loadEngine({ simd: false, fallback: 'error' })]) {
  loadModel(engine, await parseModelFile(embedded, { file: `${source} on ${engine.kind}` })).dispose();
}
const out = join(root, 'dist', 'models');
mkdirSync(out, { recursive: true });

writeFileSync(join(out, 'index.js'), `// Generated from models/storefront.json by scripts/embed-models.ts (npm run build): do not edit.
import { loadModel } from '../src/model/churn-model.js';
import { markVerifiedAtBuild } from '../src/model/verified-at-build.js';

/** The shipped storefront model (models/storefront.json, version ${model.version}) as its JSON text. */
export const storefrontModelText = ${javascriptString(embedded)};

/** The shipped storefront model file, parsed: a fresh copy each call. */
export function storefrontModel() {
  return JSON.parse(storefrontModelText);
}

/** Loads the shipped storefront model on \`engine\`: the build verified it (schema, checksum, weights, probes), so only the engine's work is left. */
export async function loadStorefrontModel(engine) {
  return loadModel(engine, markVerifiedAtBuild(JSON.parse(storefrontModelText)));
}
`);

writeFileSync(join(out, 'index.d.ts'), `// Generated from models/storefront.json by scripts/embed-models.ts (npm run build): do not edit.
import type { ChurnModel, Engine, ModelFileV1 } from '../src/index.js';

/**
 * The shipped storefront model (models/storefront.json, version ${model.version}) as its JSON
 * text: give it to \`parseModelFile\`.
 */
export declare const storefrontModelText: string;

/**
 * The shipped storefront model file, parsed (a fresh copy each call, so no caller can change
 * another's): give it to the plugin, which validates and loads it.
 *
 * @example
 * import { churn } from 'churnkit/express';
 * import { storefrontModel } from 'churnkit/models';
 * const scoring = churn({ model: storefrontModel(), identify: (req) => req.get('x-customer-id') });
 */
export declare function storefrontModel(): ModelFileV1;

/**
 * Loads the shipped storefront model on \`engine\`. The package's build verified it
 * (\`parseModelFile\`'s checks, checksum included, and \`loadModel\`'s probes on every engine),
 * so a storefront's boot does not pay for them again: the fastest way to the first score.
 *
 * @example
 * import { loadEngine } from 'churnkit';
 * import kernel from 'churnkit/wasm/simd';
 * import { loadStorefrontModel } from 'churnkit/models';
 * const model = await loadStorefrontModel(await loadEngine({ kernel }));
 * model.predict({ recency_days: 40, log_orders_total: 1.1 });
 */
export declare function loadStorefrontModel(engine: Engine): Promise<ChurnModel>;
`);
process.stdout.write(`wrote ${join(out, 'index.js')} (storefront model ${model.version})\n`);

/**
 * A JavaScript literal for a JSON text: `String.raw` keeps it character for character without
 * escaping its many quotes (a third smaller than a quoted string), unless the text holds a
 * backtick or `${` (then a quoted string). JSON.stringify's output has no raw line breaks,
 * which a template literal would normalise.
 */
function javascriptString(json: string): string {
  return /`|\$\{/.test(json) ? JSON.stringify(json) : `String.raw\`${json}\``;
}
