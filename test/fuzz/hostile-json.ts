/**
 * Hostile JSON bodies for the HTTP fuzz targets, generated as text so that everything a
 * client can put on the wire is reachable: keys `__proto__` and `constructor` (which a
 * JavaScript object literal would swallow), NaN-like and unit-confused strings, numbers at
 * the edges of float64, unicode (astral, right-to-left, NUL), long strings, deep nesting,
 * truncated and non-JSON text — most of them grafted into a valid body, so they reach the
 * checks past the first one.
 */
import fc from 'fast-check';

/** A JSON value whose objects are lists of entries, so any key (`__proto__` too) survives until it is written. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export class JsonObject {
  constructor(readonly entries: [string, Json][]) {}
}

/** `value` (plain JSON data) as a `Json` tree. */
export function toJson(value: unknown): Json {
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') return new JsonObject(Object.entries(value).map(([key, item]) => [key, toJson(item)]));
  return value as Json;
}

/** The JSON text of `value` (non-finite numbers, which JSON cannot carry, as written by a careless client). */
export function jsonText(value: Json): string {
  if (value instanceof JsonObject) return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x1F', '12', '', ' ', 'null', 'true', '__proto__', 'constructor', 'prototype', 'toString', '\u0000', '\u202eevil', '١٢٣', 'é'.normalize('NFD'), '🙂'.repeat(40), '<script>alert(1)</script>', "'; DROP TABLE events; --", '../../etc/passwd', '\r\n\r\n', '2026-13-45T99:99:99Z', '1733000000000000', '2999-01-01T00:00:00Z', '1970-01-01T00:00:00Z') },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 70_000 }).map((length) => 'x'.repeat(length)) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1e308, -1e308, 5e-324, 3.4e38, 1e21, 1.7e15, 1e20, Number.MAX_SAFE_INTEGER + 2, 1.7e9, Date.UTC(1900, 0, 1), Date.now() + 366 * 86_400_000, Number.NaN, Infinity, -Infinity),
  fc.double(),
  fc.integer(),
);

const hostileKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'customerId', 'record', 'items', 'events', 'ts', 'type', 'retained', 'action', 'group'), hostileString);

/** Any JSON value, hostile at every level, at most a few levels deep. */
export const hostileValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json; array: Json[]; object: JsonObject }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant(null), fc.boolean(), hostileNumber, hostileString, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 6 }),
  object: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 6 }).map((entries) => new JsonObject(entries)),
})).value;

/** Every node of `tree`, pre-order, with a function that replaces it in a copy. */
function nodes(tree: Json): { replace: (by: Json | undefined) => Json }[] {
  const found: { replace: (by: Json | undefined) => Json }[] = [{ replace: (by) => by ?? null }];
  const walk = (node: Json, rebuild: (next: Json) => Json) => {
    if (node instanceof JsonObject) {
      node.entries.forEach(([key, item], index) => {
        const inParent = (next: Json | undefined) =>
          rebuild(new JsonObject(next === undefined ? node.entries.filter((_, i) => i !== index) : node.entries.map((entry, i) => (i === index ? [key, next] : entry))));
        found.push({ replace: inParent });
        walk(item, (next) => inParent(next));
      });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => {
        const inParent = (next: Json | undefined) => rebuild(next === undefined ? node.filter((_, i) => i !== index) : node.map((entry, i) => (i === index ? next : entry)));
        found.push({ replace: inParent });
        walk(item, (next) => inParent(next));
      });
    }
  };
  walk(tree, (next) => next);
  return found;
}

/** A mutation: which node (by pre-order index, modulo the count), and what replaces it (undefined: removed). */
const mutation = fc.tuple(fc.nat(), fc.option(hostileValue, { nil: undefined, freq: 5 }));

/** `template` with up to three nodes replaced by hostile values or removed. */
export function mutated(template: Json): fc.Arbitrary<Json> {
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) =>
    mutations.reduce((tree, [index, by]) => {
      const all = nodes(tree);
      return all[index % all.length]!.replace(by);
    }, template),
  );
}

/** What a hostile client sends: mostly a mutated valid body, also any JSON, deep nesting, broken text, and the wrong content types. */
export interface HostileRequest {
  text: string;
  /** Header value, or null for none. */
  contentType: string | null;
}

const deepNesting = fc.tuple(fc.integer({ min: 30, max: 3_000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`);
const brokenText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('', '{', '{"customerId":', 'NaN', '"c1"', '[]', 'null', '{"a":1}{"b":2}', '\ufeff{}', '{"a":1,}', "{'a':1}"),
);
const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom(null, 'text/plain;charset=UTF-8', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'APPLICATION/JSON', 'application/json; charset=utf-8') },
);

/**
 * A hostile request for a route whose valid bodies look like `template`.
 *
 * @example
 * fc.sample(hostileRequest({ customerId: 'c1' }), 3); // [{ text: '{"customerId":"NaN"}', contentType: 'application/json' }, ...]
 */
export function hostileRequest(template: unknown): fc.Arbitrary<HostileRequest> {
  const body = fc.oneof(
    { weight: 8, arbitrary: mutated(toJson(template)).map(jsonText) },
    { weight: 2, arbitrary: hostileValue.map(jsonText) },
    { weight: 1, arbitrary: deepNesting },
    { weight: 1, arbitrary: brokenText },
  );
  return fc.record({ text: body, contentType });
}
