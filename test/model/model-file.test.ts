import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../src/errors.js';
import { floatsToBase64 } from '../../src/model/base64-floats.js';
import { decodeWeights, modelChecksum, parseModelFile } from '../../src/model/model-file.js';
import { fixtureModel } from './model-fixture.js';

const { file } = await fixtureModel();
const text = JSON.stringify(file, null, 2);

/** A copy of the file with `edit` applied and the checksum recomputed, as a careless tool would write it. */
async function resigned(edit: (copy: any) => void): Promise<unknown> {
  const copy = JSON.parse(text);
  edit(copy);
  copy.checksum.value = await modelChecksum(copy);
  return copy;
}

async function codeOf(input: unknown): Promise<string> {
  try {
    await parseModelFile(input, { file: 'model.json' });
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as ModelFormatError).message).toMatch(/^model\.json: /);
    return (error as ModelFormatError).code;
  }
  throw new Error('expected parseModelFile to reject the input');
}

describe('parseModelFile', () => {
  it('accepts what serializeModel wrote, as text or as an object, with identical weights', async () => {
    const parsed = await parseModelFile(text);
    expect(parsed).toEqual(file);
    expect(await parseModelFile(JSON.parse(text))).toEqual(file);
    expect(decodeWeights(parsed)).toEqual(decodeWeights(file));
  });

  it('ignores key order and indentation (the checksum is over canonical JSON)', async () => {
    const reordered = Object.fromEntries(Object.entries(JSON.parse(text)).reverse());
    await expect(parseModelFile(JSON.stringify(reordered))).resolves.toEqual(file);
  });

  it("names what it was given instead of a model file's text, bytes or parsed JSON: a Response is not a model missing its format field", async () => {
    for (const [given, named] of [[new Response(text), 'a Response'], [new Blob([text]), 'a Blob'], [Promise.resolve(text), 'a Promise'], [new Map(), 'a Map'], [42, '42']] as const) {
      await expect(parseModelFile(given as never), named).rejects.toMatchObject({ code: 'MODEL_SCHEMA', message: `expected a JSON object at the top level, got ${named}` });
    }
    await expect(parseModelFile(Object.assign(Object.create(null), JSON.parse(text)))).resolves.toEqual(file);
  });

  it('rejects text that is not JSON', async () => {
    expect(await codeOf('hello')).toBe('MODEL_NOT_JSON');
    expect(await codeOf('')).toBe('MODEL_NOT_JSON');
  });

  it('rejects a truncated file', async () => {
    expect(await codeOf(text.slice(0, Math.floor(text.length / 2)))).toBe('MODEL_TRUNCATED');
    expect(await codeOf(text.slice(0, -1))).toBe('MODEL_TRUNCATED');
  });

  it('rejects another format and an unknown version', async () => {
    expect(await codeOf({ ...file, format: 'onnx' })).toBe('MODEL_UNKNOWN_FORMAT');
    expect(await codeOf({ ...file, formatVersion: 2 })).toBe('MODEL_UNSUPPORTED_VERSION');
  });

  it('names the path of a field that breaks the schema', async () => {
    const broken = JSON.parse(text);
    broken.architecture.layers[0].units = -3;
    await expect(parseModelFile(broken)).rejects.toMatchObject({ code: 'MODEL_SCHEMA', message: /architecture\.layers\[0\]\.units/ });
    const misspelled = JSON.parse(text);
    misspelled.metadata.treshold = 0.5;
    await expect(parseModelFile(misspelled)).rejects.toMatchObject({ code: 'MODEL_SCHEMA', message: /metadata/ });
  });

  it('rejects a __proto__ field as a schema violation without polluting anything', async () => {
    const hostile = text.replace('"metadata": {', '"metadata": { "__proto__": { "polluted": true },');
    await expect(parseModelFile(hostile)).rejects.toMatchObject({ code: 'MODEL_SCHEMA' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a tampered file with a checksum error', async () => {
    const tampered = JSON.parse(text);
    tampered.metadata.threshold = 0.01;
    expect(await codeOf(tampered)).toBe('MODEL_CHECKSUM');
  });

  it('rejects a model whose weight count does not match its layers', async () => {
    const shortWeights = await resigned((copy) => {
      copy.weights.data = floatsToBase64(new Float32Array(5));
      copy.weights.count = 5;
    });
    expect(await codeOf(shortWeights)).toBe('MODEL_WEIGHT_COUNT');
  });

  it('rejects NaN and infinite weights', async () => {
    const weights = decodeWeights(file);
    weights[3] = NaN;
    const withNaN = await resigned((copy) => {
      copy.weights.data = floatsToBase64(weights);
    });
    expect(await codeOf(withNaN)).toBe('MODEL_NON_FINITE_WEIGHT');
  });

  it('rejects a feature spec inconsistent with the inputs', async () => {
    const mismatch = await resigned((copy) => {
      copy.featureSpec.inputSize += 1;
    });
    expect(await codeOf(mismatch)).toBe('MODEL_SPEC_MISMATCH');
    const missingCategory = await resigned((copy) => {
      const categorical = copy.featureSpec.columns.find((c: { type: string }) => c.type === 'categorical');
      categorical.categories.pop();
    });
    expect(await codeOf(missingCategory)).toBe('MODEL_SPEC_MISMATCH');
  });
});
