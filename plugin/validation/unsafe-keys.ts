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

/**
 * The first forbidden key or excessive nesting in `body`, or null when it is safe.
 *
 * @example
 * findUnsafeKey(JSON.parse('{"record":{"__proto__":{"admin":true}}}'));
 * // { field: 'record.__proto__', message: 'key "__proto__" is not allowed' }
 */
export function findUnsafeKey(body: unknown): UnsafeKey | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) return { field: path, message: `nested deeper than ${MAX_BODY_DEPTH} levels` };
    for (const key of Object.keys(value)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) return { field: keyPath, message: `key "${key}" is not allowed` };
      pending.push({ value: (value as Record<string, unknown>)[key], path: keyPath, depth: depth + 1 });
    }
  }
  return null;
}
