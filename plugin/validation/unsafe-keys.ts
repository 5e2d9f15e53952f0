/**
 * Keys that can poison prototypes when a parsed body is later merged or spread
 * (`__proto__`, `constructor`, `prototype`) are refused anywhere in a body, at any depth,
 * before any other validation sees it. The walk is iterative and depth-bounded, so a
 * deeply nested body cannot exhaust the stack.
 */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper than any body the routes accept (a model file nests 5 levels). */
export const MAX_BODY_DEPTH = 32;

export interface UnsafeKey {
  /** Dotted path of the offending key, e.g. `items.0.record.__proto__`. */
  field: string;
  message: string;
}

/** An object or array still to look into: where it sits is kept as its parent and key, not as a path. */
interface Nested {
  value: object;
  parent: Nested | null;
  key: string;
  depth: number;
}

/**
 * The first forbidden key or excessive nesting in `body`, or null when it is safe.
 *
 * Only objects and arrays are queued, and a dotted path is spelled out only for the answer:
 * every body a route accepts is walked here, and a batch of 50 events has some 400 keys, most
 * of them holding a string or a number (an entry and a path string per key were 40 KB of
 * garbage per batch).
 *
 * @example
 * findUnsafeKey(JSON.parse('{"record":{"__proto__":{"admin":true}}}'));
 * // { field: 'record.__proto__', message: 'key "__proto__" is not allowed' }
 */
export function findUnsafeKey(body: unknown): UnsafeKey | null {
  if (typeof body !== 'object' || body === null) return null;
  const pending: Nested[] = [{ value: body, parent: null, key: '', depth: 0 }];
  while (pending.length > 0) {
    const nested = pending.pop()!;
    if (nested.depth > MAX_BODY_DEPTH) return { field: pathOf(nested), message: `nested deeper than ${MAX_BODY_DEPTH} levels` };
    const object = nested.value as Record<string, unknown>;
    // for...in reads V8's enumeration cache where `Object.keys` would build an array per object.
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      if (FORBIDDEN_KEYS.has(key)) return { field: appendKey(pathOf(nested), key), message: `key "${key}" is not allowed` };
      const value = object[key];
      if (typeof value === 'object' && value !== null) pending.push({ value, parent: nested, key, depth: nested.depth + 1 });
    }
  }
  return null;
}

/** The dotted path of `nested`, from the body's root ('' for the root itself). */
function pathOf(nested: Nested): string {
  const keys: string[] = [];
  for (let step: Nested | null = nested; step !== null && step.parent !== null; step = step.parent) keys.push(step.key);
  return keys.reduceRight(appendKey, '');
}

function appendKey(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
