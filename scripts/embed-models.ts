/**
 * `npm run build:models`: writes the `churnkit/models` entry (dist/models/), the shipped model
 * embedded in a JavaScript module, so every runtime can name it through the package: a Worker
 * or a page has no file system to read models/storefront.json from, and JSON imports still
 * need import attributes (or a bundler) in some of them. The model is validated first: a
 * broken model file fails the build, not a storefront.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelFile } from '../src/model/model-file.js';
import { repoRoot } from '../bench/repo-root.js';

const root = repoRoot();
const source = join(root, 'models', 'storefront.json');
const text = readFileSync(source, 'utf8');
const model = await parseModelFile(text, { file: source });
const out = join(root, 'dist', 'models');
mkdirSync(out, { recursive: true });

writeFileSync(join(out, 'index.js'), `// Generated from models/storefront.json by scripts/embed-models.ts (npm run build): do not edit.
import { loadModel } from '../src/model/churn-model.js';
import { parseModelFile } from '../src/model/model-file.js';

/** The shipped storefront model (models/storefront.json, version ${model.version}) as its JSON text. */
export const storefrontModelText = ${javascriptString(JSON.stringify(JSON.parse(text)))};

/** Validates the shipped storefront model (schema and checksum) and loads it on \`engine\`. */
export async function loadStorefrontModel(engine) {
  return loadModel(engine, await parseModelFile(storefrontModelText, { file: 'churnkit/models (storefront)' }));
}
`);

writeFileSync(join(out, 'index.d.ts'), `// Generated from models/storefront.json by scripts/embed-models.ts (npm run build): do not edit.
import type { ChurnModel, Engine } from '../src/index.js';

/**
 * The shipped storefront model (models/storefront.json, version ${model.version}) as its JSON
 * text: give it to \`parseModelFile\`, or to the Express plugin as \`model: JSON.parse(storefrontModelText)\`.
 */
export declare const storefrontModelText: string;

/**
 * Validates the shipped storefront model (schema and checksum) and loads it on \`engine\`.
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
