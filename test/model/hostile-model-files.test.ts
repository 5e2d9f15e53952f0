/**
 * The model-file loader against files an attacker or a broken tool writes (issue 11, items 5, 6
 * and the byte-order mark): every array, string and nesting level bounded, the text size
 * bounded, big files loaded in steps, and every refusal a `ModelFormatError` with a code, from
 * the SDK, the CLI and the plugin's start-up alike.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paddedModelText, resignedText, wideModelText } from '../../bench/model-load-fixtures.js';
import { churn } from '../../plugin/express/index.js';
import { ModelFormatError, OptionsError } from '../../src/errors.js';
import { resolveShape } from '../../src/engine/network-shape.js';
import { MODEL_LIMITS, modelChecksum, parseModelFile, serializeModel } from '../../src/model/model-file.js';
import { readModelFile } from '../../src/node/read-model-file.js';
import { makeTempDir, runCli } from '../cli/run-cli.js';
import { fixtureModel } from './model-fixture.js';

const { file, contents } = await fixtureModel();
const text = JSON.stringify(file);
const scratch = mkdtempSync(join(tmpdir(), 'churnkit-hostile-models-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `depth` arrays nested inside each other: `[[[...]]]`. */
function nestedArrays(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

async function refusal(input: unknown, options: { maxBytes?: number } = {}): Promise<ModelFormatError> {
  try {
    await parseModelFile(input, { file: 'model.json', ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(/^model\.json: /);
    return error as ModelFormatError;
  }
  throw new Error('expected parseModelFile to refuse the input');
}

describe('a byte-order mark', () => {
  it('is accepted before the JSON text, as the CSV readers accept one', async () => {
    await expect(parseModelFile(`\uFEFF${text}`)).resolves.toEqual(file);
  });

  it('is accepted at the start of UTF-8 bytes, and bytes that are not UTF-8 are MODEL_NOT_JSON', async () => {
    const bytes = new TextEncoder().encode(text);
    const withMark = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    await expect(parseModelFile(withMark)).resolves.toEqual(file);
    await expect(parseModelFile(withMark.buffer)).resolves.toEqual(file);
    expect((await refusal(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).code).toBe('MODEL_NOT_JSON');
  });
});

describe('the size of the text', () => {
  it(`is bounded by default at ${MODEL_LIMITS.maxBytes} bytes and by the maxBytes option`, async () => {
    expect((await refusal(text, { maxBytes: text.length - 1 })).code).toBe('MODEL_TOO_LARGE');
    await expect(parseModelFile(text, { maxBytes: text.length })).resolves.toEqual(file);
    const oversized = new Uint8Array(MODEL_LIMITS.maxBytes + 1);
    const error = await refusal(oversized);
    expect(error.code).toBe('MODEL_TOO_LARGE');
    expect(error.message).toMatch(/maxBytes/);
  });

  it('rejects a maxBytes that is not a positive integer as an OptionsError', async () => {
    await expect(parseModelFile(text, { maxBytes: 0 })).rejects.toThrow(OptionsError);
    await expect(parseModelFile(text, { maxBytes: Number.NaN })).rejects.toThrow(/maxBytes/);
  });

  it('refuses a text padded with more values than any model holds before parsing it, and its bytes before decoding them', async () => {
    const padded = await paddedModelText(file, 2 * MODEL_LIMITS.maxValues + 100_000);
    for (const input of [padded, new TextEncoder().encode(padded)]) {
      const error = await refusal(input);
      expect(error.code).toBe('MODEL_TOO_LARGE');
      expect(error.message).toMatch(new RegExp(`more than ${MODEL_LIMITS.maxValues} values`));
    }
  });

  it('scans UTF-8 bytes like text: strings with multi-byte characters and escaped quotes are crossed whole', async () => {
    const withAccents = await resignedText(file, (copy) => {
      copy.metadata.options.note = 'Zürich "Café" \\ 東京 — \u00e9';
    });
    await expect(parseModelFile(new TextEncoder().encode(withAccents))).resolves.toMatchObject({ metadata: { options: { note: expect.stringContaining('東京') } } });
    expect((await refusal(new TextEncoder().encode(withAccents.slice(0, -3)))).code).toBe('MODEL_TRUNCATED');
  });
});

describe('every array and string in the format is bounded', () => {
  const oversized: [path: RegExp, edit: (copy: any) => void][] = [
    [/field "version": expected at most 256 characters, got 1000000/, (copy) => { copy.version = 'v'.repeat(1_000_000); }],
    [/field "architecture\.layers": expected 1 to 32 items/, (copy) => {
      copy.architecture.layers = [...Array.from({ length: 32 }, () => ({ units: 2, activation: 'relu' })), { units: 1, activation: 'sigmoid' }];
    }],
    [/field "architecture\.layers\[0\]\.units": expected an integer from 1 to 4096/, (copy) => { copy.architecture.layers[0].units = 4097; }],
    [/field "architecture\.inputs": expected an integer from 1 to 4096/, (copy) => { copy.architecture.inputs = 4097; }],
    [/field "featureSpec\.columns\[\d+\]\.categories": expected 0 to 100000 items/, (copy) => {
      copy.featureSpec.columns.find((column: { type: string }) => column.type === 'categorical').categories = new Array(100_001).fill('x');
    }],
    [/field "featureSpec\.columns\[\d+\]\.categories\[0\]": expected at most 1024 characters/, (copy) => {
      copy.featureSpec.columns.find((column: { type: string }) => column.type === 'categorical').categories[0] = 'c'.repeat(5000);
    }],
    [/field "featureSpec\.columns\[0\]\.name": expected at most 1024 characters/, (copy) => { copy.featureSpec.columns[0].name = 'n'.repeat(2000); }],
    [/field "featureSpec\.categoryNormalization\.aliases": expected 0 to 10000 items/, (copy) => {
      copy.featureSpec.categoryNormalization.aliases = new Array(10_001).fill(['a', 'b']);
    }],
    [/field "metadata\.scoreQuantiles": expected 2 to 1001 items, got 200000/, (copy) => { copy.metadata.scoreQuantiles = new Array(200_000).fill(0.5); }],
    [/field "metadata\.metrics": expected at most 1000 metrics/, (copy) => {
      copy.metadata.metrics = Object.fromEntries(Array.from({ length: 1001 }, (_, k) => [`m${k}`, 1]));
    }],
    [/field "metadata\.target": expected at most 1024 characters/, (copy) => { copy.metadata.target = 't'.repeat(1025); }],
    [/field "metadata\.options": expected at most 10000 values/, (copy) => { copy.metadata.options.padding = new Array(20_000).fill(1); }],
    [/field "metadata\.options\.note": expected at most 10000 characters/, (copy) => { copy.metadata.options.note = 'x'.repeat(10_001); }],
  ];

  it.each(oversized)('refuses a file over the bound, naming the field: %s', async (message, edit) => {
    const error = await refusal(await resignedText(file, edit));
    expect(error.code).toBe('MODEL_SCHEMA');
    expect(error.message).toMatch(message);
    expect(error.message.length).toBeLessThan(600);
  });

  it("bounds the network where the engines do, so a file parseModelFile accepts is never refused by loadModel for its size", () => {
    // A 32-layer network and one of 4,096 inputs and units: the largest the format accepts, built by both engines' shape check.
    const deepest = { inputs: 2, layers: [...Array.from({ length: MODEL_LIMITS.maxLayers - 1 }, () => ({ units: 2, activation: 'relu' as const })), { units: 1, activation: 'sigmoid' as const }] };
    const widest = { inputs: MODEL_LIMITS.maxInputs, layers: [{ units: MODEL_LIMITS.maxUnits, activation: 'relu' as const }, { units: 1, activation: 'sigmoid' as const }] };
    expect(resolveShape(deepest).layers).toHaveLength(MODEL_LIMITS.maxLayers);
    expect(resolveShape(widest).parameterCount).toBe((MODEL_LIMITS.maxInputs + 1) * MODEL_LIMITS.maxUnits + MODEL_LIMITS.maxUnits + 1);
    // One more of each, which the file check refuses above, the engines refuse too.
    expect(() => resolveShape({ ...deepest, layers: [{ units: 2, activation: 'relu' }, ...deepest.layers] })).toThrow(/1 to 32 layers/);
    expect(() => resolveShape({ ...widest, inputs: MODEL_LIMITS.maxInputs + 1 })).toThrow(/shape\.inputs must be an integer in \[1, 4096\]/);
  });
});

describe("the features' words (metadata.options.display)", () => {
  it('are accepted for the columns of the file and come back as written', async () => {
    const words = { Tenure: { label: 'Tenure', unit: 'months' }, Complain: { label: 'complained', cases: [{ atMost: 0, text: 'no complaint' }], text: 'complained' } };
    const parsed = await parseModelFile(await resignedText(file, (copy) => { copy.metadata.options.display = words; }));
    expect(parsed.metadata.options.display).toEqual(words);
  });

  const refused: [path: RegExp, display: unknown][] = [
    [/field "metadata\.options\.display": expected an object/, ['Tenure']],
    [/field "metadata\.options\.display\.Tenur": names no column of featureSpec\.columns/, { Tenur: { label: 'Tenure' } }],
    [/field "metadata\.options\.display\.Tenure\.label": missing/, { Tenure: { unit: 'months' } }],
    [/field "metadata\.options\.display\.Tenure\.colour": unexpected field/, { Tenure: { label: 'Tenure', colour: 'red' } }],
    [/field "metadata\.options\.display\.Tenure\.label": expected at most 200 characters/, { Tenure: { label: 'l'.repeat(201) } }],
    [/field "metadata\.options\.display\.Tenure\.text": expected a string/, { Tenure: { label: 'Tenure', text: 12 } }],
    [/field "metadata\.options\.display\.Tenure\.scale": expected "linear" or "log1p" or "percent", got "log2"/, { Tenure: { label: 'Tenure', scale: 'log2' } }],
    [/field "metadata\.options\.display\.Tenure\.decimals": expected an integer from 0 to 6/, { Tenure: { label: 'Tenure', decimals: 400 } }],
    [/field "metadata\.options\.display\.Tenure\.cases": expected 0 to 8 items/, { Tenure: { label: 'Tenure', cases: new Array(9).fill({ atMost: 0, text: 'none' }) } }],
    [/field "metadata\.options\.display\.Tenure\.cases\[0\]\.atMost": expected a finite number/, { Tenure: { label: 'Tenure', cases: [{ atMost: '0', text: 'none' }] } }],
  ];

  it.each(refused)('are refused as MODEL_SCHEMA when malformed, naming the field: %s', async (message, display) => {
    const error = await refusal(await resignedText(file, (copy) => { copy.metadata.options.display = display; }));
    expect(error.code).toBe('MODEL_SCHEMA');
    expect(error.message).toMatch(message);
    expect(error.message.length).toBeLessThan(600);
  });
});

describe('nesting', () => {
  it('refuses 3,000 nested arrays in metadata.options as MODEL_TOO_DEEP, as text and as an already-parsed object', async () => {
    const deep = structuredClone(file) as any;
    deep.metadata.options.nested = nestedArrays(3000);
    const asText = await refusal(JSON.stringify(deep));
    expect(asText.code).toBe('MODEL_TOO_DEEP');
    const asObject = await refusal(deep);
    expect(asObject.code).toBe('MODEL_TOO_DEEP');
    expect(asObject.message).toMatch(/field "metadata\.options\.nested(\[0\])+.*": expected the training options to nest at most 8 levels/);
  });

  it('accepts training options nested exactly 8 levels (the options object and 7 arrays) and refuses a ninth', async () => {
    const atBound = await resignedText(file, (copy) => { copy.metadata.options.nested = nestedArrays(7); });
    await expect(parseModelFile(atBound)).resolves.toMatchObject({ metadata: { options: { nested: nestedArrays(7) } } });
    const beyond = await resignedText(file, (copy) => { copy.metadata.options.nested = nestedArrays(8); });
    const error = await refusal(beyond);
    expect(error.code).toBe('MODEL_TOO_DEEP');
    expect(error.message).toMatch(/field "metadata\.options\.nested(\[0\]){7}": expected the training options to nest at most 8 levels/);
  });

  it('refuses 200,000 nested arrays without a stack overflow, and a cycle in an object as too deep', async () => {
    expect((await refusal(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)).code).toBe('MODEL_TOO_DEEP');
    const cyclic = structuredClone(file) as any;
    cyclic.metadata.options.self = cyclic.metadata.options;
    expect((await refusal(cyclic)).code).toBe('MODEL_TOO_DEEP');
  });

  it('the checksum helpers refuse deep values with a ModelFormatError, never a RangeError', async () => {
    await expect(modelChecksum({ deep: nestedArrays(100_000) })).rejects.toMatchObject({ name: 'ModelFormatError', code: 'MODEL_TOO_DEEP' });
    const deepOptions = { ...contents, metadata: { ...contents.metadata, options: { nested: nestedArrays(3000) } } };
    await expect(serializeModel(deepOptions)).rejects.toMatchObject({ name: 'ModelFormatError', code: 'MODEL_TOO_DEEP' });
  });
});

describe('weights', () => {
  it('refuses a weight count that does not match the layers without decoding (or allocating) the claimed count', async () => {
    const lying = await resignedText(file, (copy) => { copy.weights.count = 2 ** 40; });
    expect((await refusal(lying)).code).toBe('MODEL_WEIGHT_COUNT');
  });

  it('refuses base64 with characters outside the alphabet or a non-zero padding remainder', async () => {
    const badCharacter = await resignedText(file, (copy) => { copy.weights.data = `!${copy.weights.data.slice(1)}`; });
    expect((await refusal(badCharacter)).code).toBe('MODEL_SCHEMA');
  });
});

describe('a large legitimate model', () => {
  it('loads with turns of the event loop between its steps, so a server keeps answering', async () => {
    const large = await wideModelText({ categories: 300, hidden: 1024 });
    expect(large.length).toBeGreaterThan(1.5e6);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const parsed = await parseModelFile(large);
      expect(parsed.architecture.inputs).toBe(309);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(3);
  });
});

describe('readModelFile (churnkit/node)', () => {
  it('refuses a file over maxBytes from its size, without reading it', async () => {
    const huge = join(scratch, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, MODEL_LIMITS.maxBytes + 1);
    await expect(readModelFile(huge)).rejects.toMatchObject({ code: 'MODEL_TOO_LARGE', file: huge });
  });

  it('reads a file with a byte-order mark, and names a missing file or a folder', async () => {
    const marked = join(scratch, 'marked.json');
    writeFileSync(marked, `\uFEFF${text}`);
    await expect(readModelFile(marked)).resolves.toEqual(file);
    await expect(readModelFile(join(scratch, 'absent.json'))).rejects.toMatchObject({ code: 'MODEL_UNREADABLE', message: /not found/ });
    await expect(readModelFile(scratch)).rejects.toMatchObject({ code: 'MODEL_UNREADABLE', message: /directory/ });
  });
});

describe('deep JSON where users meet it', () => {
  const deepFile = join(scratch, 'deep.json');
  const deep = structuredClone(file) as any;
  deep.metadata.options.nested = nestedArrays(3000);
  writeFileSync(deepFile, JSON.stringify(deep));

  it('the CLI prints a model-format error naming the file, not a RangeError', () => {
    const folder = makeTempDir();
    writeFileSync(join(folder, 'customers.csv'), 'Tenure\n3\n');
    const run = runCli(['predict', '--model', deepFile, '--data', 'customers.csv', '--out', 'scores.csv'], folder);
    rmSync(folder, { recursive: true, force: true });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/MODEL_TOO_DEEP|nests deeper/);
    expect(run.stderr).not.toMatch(/RangeError|Maximum call stack/);
  });

  it("the plugin's start-up fails with a ModelFormatError", async () => {
    const plugin = churn({ model: deepFile, identify: () => undefined, dataDir: join(scratch, 'store') });
    try {
      await expect(plugin.ready()).rejects.toMatchObject({ name: 'ModelFormatError', code: 'MODEL_TOO_DEEP' });
    } finally {
      await plugin.close();
    }
  });
});
