// A page that loads the kernel and the shipped model as docs/runtimes.md does, then hands
// predict and explain what a page may really hold instead of a clean record; every answer is
// written to #result as { case: { predict, explain } }, each a probability or the error's name and code.
import { explainable, loadEngine } from '/node_modules/churnkit/dist/bundle/index.js';
import kernel from '/node_modules/churnkit/wasm/simd.js';
import scalarKernel from '/node_modules/churnkit/wasm/scalar.js';
import { loadStorefrontModel } from '/node_modules/churnkit/dist/bundle/models.js';

const engine = await loadEngine({ kernel, scalarKernel });
const model = await loadStorefrontModel(engine);
const explained = explainable(model);
const numeric = model.features.find((feature) => feature.type === 'numeric').name;

const records = {
  'an empty record': {},
  'a field missing, another unknown': { not_a_feature: 1 },
  'a number as text': { [numeric]: '12' },
  'a word where a number belongs': { [numeric]: 'twelve' },
  NaN: { [numeric]: NaN },
  Infinity: { [numeric]: Infinity },
  '-Infinity': { [numeric]: -Infinity },
  '1e308': { [numeric]: 1e308 },
  '-1e308': { [numeric]: -1e308 },
  'an object where a number belongs': { [numeric]: { value: 3 } },
  'a BigInt': { [numeric]: 10n },
  'a __proto__ key': JSON.parse('{"__proto__": {"recency_days": 1}}'),
  null: null,
  undefined: undefined,
  'a string': 'recency_days=3',
  'a number': 42,
  'an empty array': [],
  'the array of customers itself': [{ [numeric]: 1 }, { [numeric]: 300 }],
};

function answer(score) {
  try {
    const value = score();
    return typeof value === 'number' ? { probability: value } : { contributions: value.length, finite: value.every((reason) => Number.isFinite(reason.contribution)) };
  } catch (error) {
    return { error: error.name, code: error.code };
  }
}

const result = {};
for (const [name, record] of Object.entries(records)) {
  result[name] = { predict: answer(() => model.predict(record)), explain: answer(() => explained.explain(record)) };
}
document.querySelector('#result').textContent = JSON.stringify({ engine: engine.kind, result });
