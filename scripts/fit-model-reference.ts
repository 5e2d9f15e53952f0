/**
 * `node dist/scripts/fit-model-reference.js <model.json> <training.csv>`: gives a model file
 * trained before `train` kept a drift reference the one `train` would have written: decile
 * bins of every input and of the score over its training rows (`fitReference`, the code path
 * train uses). Everything else stays as it was (weights, version, threshold, metrics), so no
 * score the model gives changes; the checksum is signed again over the new contents. The
 * training file must be the one the model was trained on: its SHA-256 must be the model's
 * `metadata.dataHash`, or nothing is written. models/add-storefront-reference.sh runs it on
 * the shipped model.
 */
import { readFile } from 'node:fs/promises';
import { readTrainingData } from '../src/cli/read-training-data.js';
import { writeFileAtomically } from '../src/node/write-file-atomically.js';
import { loadModel } from '../src/model/churn-model.js';
import { fitReference } from '../src/model/fit-reference.js';
import { decodeWeights, parseModelFile, serializeModel } from '../src/model/model-file.js';
import { loadEngine } from '../src/node/index.js';

const [modelPath, dataPath] = process.argv.slice(2);
if (modelPath === undefined || dataPath === undefined) {
  process.stderr.write('usage: node dist/scripts/fit-model-reference.js <model.json> <training.csv>\n');
  process.exit(2);
}
const file = await parseModelFile(await readFile(modelPath, 'utf8'), { file: modelPath });
const { metadata } = file;
const data = await readTrainingData(dataPath, metadata.target, metadata.id ?? undefined);
if (data.dataHash !== metadata.dataHash) {
  process.stderr.write(`${dataPath}: SHA-256 ${data.dataHash} is not the model's training data (metadata.dataHash ${metadata.dataHash}); nothing written\n`);
  process.exit(1);
}
const model = loadModel(await loadEngine(), file);
const scores = model.predictBatch(data.table.records);
model.dispose();
const updated = await serializeModel({
  version: file.version,
  architecture: file.architecture,
  featureSpec: file.featureSpec,
  parameters: decodeWeights(file),
  metadata: { ...metadata, reference: fitReference(file.featureSpec, data.table.records, scores) },
});
await writeFileAtomically(modelPath, `${JSON.stringify(updated)}\n`);
process.stdout.write(`${modelPath}: reference distribution of ${data.table.records.length} training rows added (version ${file.version}, weights unchanged)\n`);
