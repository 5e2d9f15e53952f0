/**
 * Fuzzing the model-file loader as the SDK exposes it (`parseModelFile` + `loadModel`, nothing
 * internal: the validator behind them is being rewritten): random bytes, truncations, flipped
 * characters, flipped bits in the weights, hostile numbers and long arrays in every field, and
 * nesting — the last three re-signed with the documented checksum, so they reach the checks past
 * it. Properties: nothing but typed errors; a model that loads scores every hostile record with
 * a probability; a reference model's score of a fixed record is bit-identical before and after.
 * Inputs stay under 256 KiB and arrays under 2,000 items; nesting goes to 10,000 levels: the
 * loader bounds depth before it parses (`MODEL_LIMITS.maxDepth`, `MODEL_TOO_DEEP`), so no depth
 * overflows its stack.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModel, ModelFormatError, parseModelFile, serializeModel, type ModelFileV1, type RawRecord } from '../../src/index.js';
import { describeFeature, displaysOf } from '../../src/explain/describe-feature.js';
import { simdEngine } from '../engine/kernels.js';
import { fixtureModel } from '../model/model-fixture.js';
import { cases, expectTypedError, fuzz, hostileFloat, reportTallies } from './fuzz.js';

afterAll(reportTallies);

const engine = simdEngine();
const mlp = await fixtureModel('mlp');
const logreg = await fixtureModel('logreg');
const bases = [mlp.file, logreg.file];
const reference = loadModel(engine, mlp.file);
const FIXED: RawRecord = { Tenure: 4, Complain: 'yes', PaymentMode: 'UPI', CashbackAmount: 150 };
const REFERENCE_SCORE = reference.predict(FIXED);
const HOSTILE_RECORDS: RawRecord[] = [{}, { Tenure: Number.NaN, CashbackAmount: 1e308 }, { Tenure: -1e300, PaymentMode: 'Bitcoin', Complain: 'perhaps' }, FIXED];

/** The checksum of docs/model-format.md: SHA-256 of the canonical JSON (sorted keys, no whitespace) without `checksum`. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function resigned(file: Record<string, unknown>): string {
  const { checksum: _old, ...rest } = file;
  const value = createHash('sha256').update(canonicalJson(rest)).digest('hex');
  return JSON.stringify({ ...rest, checksum: { algorithm: 'sha-256', value } });
}

/** Parses and loads `input`; a model that loads must answer every hostile record with a probability. */
async function checkLoad(input: string | unknown): Promise<void> {
  try {
    const model = loadModel(engine, await parseModelFile(input));
    for (const record of HOSTILE_RECORDS) {
      const probability = model.predict(record);
      if (!(probability >= 0 && probability <= 1)) expect.fail(`a loaded model scored ${probability}`);
    }
    for (const probability of model.predictBatch(HOSTILE_RECORDS)) {
      if (!(probability >= 0 && probability <= 1)) expect.fail(`a loaded model scored ${probability} in a batch`);
    }
    model.dispose();
  } catch (error) {
    expectTypedError(error);
  }
  if (!Object.is(reference.predict(FIXED), REFERENCE_SCORE)) expect.fail('the reference model scores the fixed record differently after a hostile load');
}

/** Every path to a number or array in a model file (the places a hostile value or a long array goes). */
function pathsOf(value: unknown, path: (string | number)[] = [], found: { numbers: (string | number)[][]; arrays: (string | number)[][] } = { numbers: [], arrays: [] }) {
  if (typeof value === 'number') found.numbers.push(path);
  else if (Array.isArray(value)) {
    found.arrays.push(path);
    value.forEach((item, index) => pathsOf(item, [...path, index], found));
  } else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], found);
  return found;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let at = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
}

const baseIndex = fc.integer({ min: 0, max: bases.length - 1 });

describe('fuzz: the model-file loader (parseModelFile + loadModel)', () => {
  it(`random bytes and random text (${cases(600)} cases)`, async () => {
    const text = fc.oneof(fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes).toString('utf8')), fc.string({ maxLength: 2_000 }), fc.json({ maxDepth: 4 }));
    await fuzz('model loader: random bytes', 600, [text], (input) => checkLoad(input));
  });

  it(`truncations and flipped characters of real model files (${cases(600)} cases)`, async () => {
    const damage = fc.record({
      base: baseIndex,
      cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
      flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ minLength: 1, maxLength: 2 })), { maxLength: 4 }),
    });
    await fuzz('model loader: truncations and flips', 600, [damage], ({ base, cut, flips }) => {
      let text = JSON.stringify(bases[base]);
      for (const [at, replacement] of flips) {
        const index = Math.floor(at * text.length);
        text = text.slice(0, index) + replacement + text.slice(index + replacement.length);
      }
      return checkLoad(cut === null ? text : text.slice(0, Math.floor(cut * text.length)));
    });
  });

  it(`flipped bits in the weights, re-signed (${cases(400)} cases)`, async () => {
    const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 31 })), { minLength: 1, maxLength: 6 });
    await fuzz('model loader: flipped weight bits', 400, [baseIndex, flips], async (base, bitFlips) => {
      const contents = [mlp.contents, logreg.contents][base]!;
      const parameters = Float32Array.from(contents.parameters);
      const bits = new Uint32Array(parameters.buffer);
      for (const [index, bit] of bitFlips) bits[index % bits.length]! ^= 1 << bit;
      let file: ModelFileV1;
      try {
        file = await serializeModel({ ...contents, parameters });
      } catch (error) {
        expectTypedError(error);
        return;
      }
      await checkLoad(JSON.stringify(file));
    });
  });

  it(`hostile numbers in any numeric field, re-signed (${cases(600)} cases)`, async () => {
    const hostile = fc.oneof(hostileFloat, fc.constantFrom(1e308, -1e308, 5e-324, 1e20, -1e20, 2 ** 53 + 2, 0.5, -1, 101, 1e6));
    await fuzz('model loader: hostile numbers', 600, [baseIndex, fc.array(fc.tuple(fc.nat(), hostile), { minLength: 1, maxLength: 4 })], (base, changes) => {
      const file = structuredClone(bases[base]!) as unknown as Record<string, unknown>;
      const { numbers } = pathsOf(file);
      for (const [pick, value] of changes) setAt(file, numbers[pick % numbers.length]!, Number.isFinite(value) ? value : String(value));
      return checkLoad(resigned(file));
    });
  });

  it(`long arrays and strings, extra fields and nesting up to 1,000 levels, re-signed (${cases(200)} cases)`, async () => {
    const growth = fc.oneof(
      fc.record({ kind: fc.constant('array' as const), length: fc.integer({ min: 0, max: 2_000 }), fill: hostileFloat }),
      fc.record({ kind: fc.constant('string' as const), length: fc.integer({ min: 0, max: 100_000 }) }),
      fc.record({ kind: fc.constant('nesting' as const), depth: fc.integer({ min: 1, max: 1_000 }) }),
      fc.record({ kind: fc.constant('extra' as const), key: fc.string({ maxLength: 12 }), value: fc.jsonValue({ maxDepth: 3 }) }),
    );
    await fuzz('model loader: long arrays, strings, nesting', 200, [baseIndex, fc.nat(), growth], (base, pick, change) => {
      const file = structuredClone(bases[base]!) as unknown as Record<string, unknown>;
      const { arrays } = pathsOf(file);
      const metadata = file.metadata as Record<string, unknown>;
      switch (change.kind) {
        case 'array':
          setAt(file, arrays[pick % arrays.length]!, Array.from({ length: change.length }, () => (Number.isFinite(change.fill) ? change.fill : 0)));
          break;
        case 'string':
          if (pick % 2 === 0) file.version = 'v'.repeat(change.length);
          else metadata.options = { note: 'n'.repeat(change.length) };
          break;
        case 'nesting': {
          let nested: unknown = 1;
          for (let level = 0; level < change.depth; level++) nested = [nested];
          metadata.options = { nested };
          break;
        }
        case 'extra':
          (pick % 2 === 0 ? file : metadata)[change.key] = change.value;
          break;
      }
      return checkLoad(resigned(file));
    });
  });

  it(`hostile words for the features, re-signed: refused with a typed error, or every reason in words reads as text (${cases(300)} cases)`, async () => {
    const anything = fc.oneof(fc.string({ maxLength: 300 }), fc.double(), fc.integer({ min: -10, max: 10 }), fc.jsonValue({ maxDepth: 2 }));
    // Mostly well-formed, so that many files load and their words are used; now and then anything.
    const mostly = <T,>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: anything, weight: 1 });
    const entry = fc.oneof(
      { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
      {
        arbitrary: fc.record(
          {
            label: mostly(fc.string({ minLength: 1, maxLength: 20 })),
            unit: mostly(fc.string({ minLength: 1, maxLength: 10 })),
            scale: mostly(fc.constantFrom('linear', 'log1p', 'percent')),
            decimals: mostly(fc.integer({ min: 0, max: 6 })),
            cases: mostly(fc.array(fc.record({ atMost: mostly(fc.double({ noNaN: true, noDefaultInfinity: true })), text: mostly(fc.string({ minLength: 1, maxLength: 20 })) }), { maxLength: 3 })),
            text: mostly(fc.constantFrom('{n} of them', '{n}{n}', 'none', '$& {n} $1')),
          },
          { requiredKeys: ['label'] },
        ),
        weight: 6,
      },
    );
    const name = fc.oneof({ arbitrary: fc.constantFrom(...mlp.file.featureSpec.columns.map((column) => column.name)), weight: 8 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
    let worded = 0;
    await fuzz('model loader: hostile display words', 300, [baseIndex, fc.dictionary(name, entry, { maxKeys: 3 })], async (base, display) => {
      const file = structuredClone(bases[base]!) as unknown as Record<string, unknown>;
      (file.metadata as { options: Record<string, unknown> }).options.display = display;
      await checkLoad(resigned(file));
      let parsed: ModelFileV1;
      try {
        parsed = await parseModelFile(resigned(file));
      } catch (error) {
        expectTypedError(error);
        return;
      }
      const displays = displaysOf(parsed.metadata);
      if (Object.keys(display).length > 0) worded++;
      for (const { name: feature } of parsed.featureSpec.columns) {
        for (const value of [0, 1, 2.5, -3, 1e308, Number.NaN, 'Debit Card', true, null]) {
          const text = describeFeature(feature, value, displays);
          if (typeof text !== 'string' || text.length === 0 || text.includes('undefined')) expect.fail(`${feature} = ${String(value)} reads ${JSON.stringify(text)}`);
        }
      }
    });
    // The property says something only if some hostile-looking words pass the checks.
    expect(worded).toBeGreaterThan(0);
    console.log(`fuzz: hostile display words: ${worded} files with words loaded`);
  });

  // Issue 11 item 6: 3,000 nested arrays in metadata.options gave a raw RangeError (a stack overflow).
  it(`nesting of 3,000 to 10,000 levels is MODEL_TOO_DEEP, a ModelFormatError (${cases(20)} cases)`, async () => {
    await fuzz('model loader: deep nesting', 20, [baseIndex, fc.integer({ min: 3_000, max: 10_000 })], async (base, depth) => {
      const file = structuredClone(bases[base]!) as unknown as Record<string, unknown>;
      (file.metadata as Record<string, unknown>).options = { nested: 'NESTED' };
      const { checksum: _old, ...rest } = file;
      // Built as text: the canonical JSON of nested arrays is their plain JSON, and JSON.stringify would recurse as deep.
      const nested = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
      const value = createHash('sha256').update(canonicalJson(rest).replace('"NESTED"', nested)).digest('hex');
      const text = JSON.stringify({ ...rest, checksum: { algorithm: 'sha-256', value } }).replace('"NESTED"', nested);
      const refused = await parseModelFile(text).then(() => 'loaded', (error: unknown) => error);
      expect(refused).toBeInstanceOf(ModelFormatError);
      expect((refused as ModelFormatError).code).toBe('MODEL_TOO_DEEP');
      await checkLoad(text);
    });
  });
});
