import type { RawRecord } from './feature-spec.js';

/**
 * Returns a reader for one field of a record. Names that exist on
 * `Object.prototype` ("constructor", "__proto__", "toString", ...) are read only as
 * own properties, so a record lacking them reads as missing instead of yielding
 * the inherited function or prototype; other names take the plain (fast) path.
 */
export function createFieldReader(name: string): (record: RawRecord) => unknown {
  if (name in Object.prototype) {
    return (record) => (Object.hasOwn(record, name) ? record[name] : undefined);
  }
  return (record) => record[name];
}
