/**
 * Float32 weights ⇄ base64 text, little-endian whatever the host's byte order. Decoding takes
 * canonical base64 only (the alphabet, `=` padding at the end only, unused low bits zero): the
 * checksum covers the text, so two spellings of the same weights must not both pass.
 *
 * The runtime's own decoder goes first where it has one (`#native-base64`: the standard
 * `Uint8Array.fromBase64`, or Node's `Buffer`); elsewhere decoding is hand-written over a lookup
 * table rather than `atob`: `atob` builds a binary string as long as the weights (then read back
 * one character at a time), which made decoding a 22 MB model's weights cost as much as
 * everything else in loading it.
 */
import { nativeBase64Decoder, type NativeBase64Decoder } from '#native-base64';

/** Encodes floats as base64 of their little-endian IEEE-754 bytes. */
export function floatsToBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  let binary = '';
  // Chunks keep String.fromCharCode's argument list short.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code → 6-bit value, or 255 for a character outside the alphabet. */
const SEXTETS = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) SEXTETS[ALPHABET.charCodeAt(i)] = i;

/** Number of floats `text` encodes, or undefined when its length cannot be base64 of whole floats. */
export function base64FloatCount(text: string): number | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = (text.length / 4) * 3 - padding;
  return bytes % 4 === 0 ? bytes / 4 : undefined;
}

/**
 * Decodes base64 little-endian floats; undefined when the text is not canonical base64 of whole
 * floats. `native`: the runtime's decoder (none: the table loop only).
 */
export function base64ToFloats(text: string, native: NativeBase64Decoder | undefined = nativeBase64Decoder): Float32Array | undefined {
  const count = base64FloatCount(text);
  if (count === undefined) return undefined;
  if (native) {
    // undefined: not canonical; null: this decoder leaves the text to the loop below.
    const decoded = native(text, count * 4);
    if (decoded !== null) return decoded && littleEndianFloats(decoded);
  }
  const bytes = new Uint8Array(count * 4);
  const whole = bytes.length - (bytes.length % 3);
  let at = 0;
  let char = 0;
  for (; at < whole; at += 3, char += 4) {
    const a = sextet(text, char), b = sextet(text, char + 1), c = sextet(text, char + 2), d = sextet(text, char + 3);
    if ((a | b | c | d) > 63) return undefined;
    bytes[at] = (a << 2) | (b >> 4);
    bytes[at + 1] = ((b & 15) << 4) | (c >> 2);
    bytes[at + 2] = ((c & 3) << 6) | d;
  }
  const left = bytes.length - whole;
  if (left > 0) {
    // The last group: one or two bytes, then "==" or "=", with the unused low bits zero.
    const a = sextet(text, char), b = sextet(text, char + 1), c = left === 2 ? sextet(text, char + 2) : 0;
    if ((a | b | c) > 63 || (left === 1 ? b & 15 : c & 3) !== 0) return undefined;
    bytes[at] = (a << 2) | (b >> 4);
    if (left === 2) bytes[at + 1] = ((b & 15) << 4) | (c >> 2);
  }
  return littleEndianFloats(bytes);
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? SEXTETS[code]! : 255;
}

function littleEndianFloats(bytes: Uint8Array): Float32Array {
  // A big-endian host reads each float's bytes the other way round.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) for (let at = 0; at < bytes.length; at += 4) bytes.subarray(at, at + 4).reverse();
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}
