/**
 * Canonical JSON: object keys sorted, no whitespace. Two equal values always give the same
 * text, so a checksum over it survives re-indentation or key reordering of the file by editors
 * and tools, while any change of a value changes it.
 *
 * Produced straight as UTF-8 bytes for hashing, without building the text first: a model's
 * text is mostly one long base64 string, which is copied once (a string needing no escapes is
 * not run through `JSON.stringify`, which is slow on tens of megabytes).
 */
import { ModelFormatError } from '../errors.js';

/** Characters `JSON.stringify` would escape (surrogates included: a lone one is escaped). */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The canonical JSON of `value` as UTF-8 bytes. Nesting deeper than `maxDepth` is a
 * `ModelFormatError` (`MODEL_TOO_DEEP`), never a stack overflow.
 *
 * @example
 * new TextDecoder().decode(canonicalJsonBytes({ b: [1, 'x'], a: null }, 32)); // '{"a":null,"b":[1,"x"]}'
 */
export function canonicalJsonBytes(value: unknown, maxDepth: number): Uint8Array {
  const pieces: string[] = [];
  writeValue(value, 0, maxDepth, pieces);
  return utf8Concat(pieces);
}

function writeValue(value: unknown, depth: number, maxDepth: number, pieces: string[]): void {
  if (typeof value === 'string') {
    if (value.length > 64 && !NEEDS_ESCAPING.test(value)) pieces.push('"', value, '"');
    else pieces.push(JSON.stringify(value));
    return;
  }
  if (value === null || typeof value !== 'object') {
    pieces.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (depth >= maxDepth) throw new ModelFormatError('MODEL_TOO_DEEP', `the JSON nests deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) {
    pieces.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) pieces.push(',');
      const item: unknown = value[i];
      writeValue(item === undefined ? null : item, depth + 1, maxDepth, pieces);
    }
    pieces.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
  pieces.push('{');
  keys.forEach((key, index) => {
    pieces.push(index > 0 ? ',' : '', JSON.stringify(key), ':');
    writeValue(record[key], depth + 1, maxDepth, pieces);
  });
  pieces.push('}');
}

/** UTF-8 of the concatenated pieces, each copied once (room grows only for non-ASCII text). */
function utf8Concat(pieces: readonly string[]): Uint8Array {
  const encoder = new TextEncoder();
  let remaining = 0;
  for (const piece of pieces) remaining += piece.length;
  let bytes = new Uint8Array(remaining);
  let written = 0;
  for (const piece of pieces) {
    remaining -= piece.length;
    let read = 0;
    for (;;) {
      const result = encoder.encodeInto(read === 0 ? piece : piece.slice(read), bytes.subarray(written));
      read += result.read;
      written += result.written;
      if (read >= piece.length) break;
      const grown = new Uint8Array(Math.max(bytes.length * 2, written + (piece.length - read) * 3 + remaining));
      grown.set(bytes.subarray(0, written));
      bytes = grown;
    }
  }
  return bytes.subarray(0, written);
}
