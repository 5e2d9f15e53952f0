/**
 * Float32 weights ⇄ base64 text, little-endian whatever the host's byte order.
 *
 * Decoding takes canonical base64 only (the alphabet, `=` padding at the end only, unused low
 * bits zero): the checksum covers the text, so two spellings of the same weights must not both
 * pass.
 *
 * Small texts go to the runtime's native decoder where it has one (`Uint8Array.fromBase64`, or
 * the `Buffer` of Node and Bun), after one regular expression and a check of the last group:
 * for the shipped storefront model's 27 KB of weights that is about 0.4 ms in Node, against
 * 2.4-4.8 ms for the loop below, which a cold start runs in the interpreter before V8 optimizes
 * it. Large texts, and every text where there is no native decoder (browsers and workerd
 * today), go to that loop over a lookup table: once optimized it decodes a 22 MB model's
 * weights in 45-62 ms here, where Node 20's `Buffer` took 70-170 ms and the regular expression
 * as long again. (Not `atob`: it builds a binary string as long as the weights, then read back
 * one character at a time, which made decoding a 22 MB model's weights cost as much as
 * everything else in loading it.)
 */

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

/** A runtime's own base64 decoder, given text already checked to be canonical. */
export type NativeBase64Decoder = (text: string) => Uint8Array;

/** The runtime's native decoder, or null: the standard `Uint8Array.fromBase64`, else the `Buffer` of Node and Bun. */
export const nativeBase64Decoder: NativeBase64Decoder | null = findNativeDecoder();

function findNativeDecoder(): NativeBase64Decoder | null {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
  if (typeof fromBase64 === 'function') return (text) => fromBase64.call(Uint8Array, text);
  const buffer = (globalThis as { Buffer?: { from?: (text: string, encoding: 'base64') => Uint8Array } }).Buffer;
  const from = buffer?.from;
  if (typeof from === 'function') return (text) => from.call(buffer, text, 'base64');
  return null;
}

/** The alphabet, then at most two `=` at the very end (the length and the padding's count are checked apart). */
const CANONICAL_CHARACTERS = /^[A-Za-z0-9+/]*={0,2}$/;

/** Texts up to this length go to the native decoder (where both cost about the same: the loop's start-up against the decoder's slower rate). */
const NATIVE_DECODE_MAX_LENGTH = 256 * 1024;

/**
 * Decodes base64 little-endian floats; undefined when the text is not canonical base64 of
 * whole floats. `decode`: the runtime's native decoder, or null for the table loop; by
 * default the native one for texts up to NATIVE_DECODE_MAX_LENGTH.
 */
export function base64ToFloats(
  text: string,
  decode: NativeBase64Decoder | null = text.length <= NATIVE_DECODE_MAX_LENGTH ? nativeBase64Decoder : null,
): Float32Array | undefined {
  const count = base64FloatCount(text);
  if (count === undefined) return undefined;
  if (decode === null) {
    const bytes = decodeByTable(text, count * 4);
    return bytes && littleEndianFloats(bytes);
  }
  if (!CANONICAL_CHARACTERS.test(text) || !lastGroupCanonical(text, count * 4)) return undefined;
  return littleEndianFloats(ownBytes(decode(text)));
}

function decodeByTable(text: string, byteLength: number): Uint8Array | undefined {
  const bytes = new Uint8Array(byteLength);
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
  if (!lastGroupCanonical(text, byteLength)) return undefined;
  const left = bytes.length - whole;
  if (left > 0) {
    const a = sextet(text, char), b = sextet(text, char + 1), c = left === 2 ? sextet(text, char + 2) : 0;
    bytes[at] = (a << 2) | (b >> 4);
    if (left === 2) bytes[at + 1] = ((b & 15) << 4) | (c >> 2);
  }
  return bytes;
}

/**
 * The last group of base64 for `byteLength` bytes: when it carries one or two bytes (then "=="
 * or "="), its characters are in the alphabet and the bits it leaves unused are zero.
 */
function lastGroupCanonical(text: string, byteLength: number): boolean {
  const left = byteLength % 3;
  if (left === 0) return true;
  const char = ((byteLength - left) / 3) * 4;
  const a = sextet(text, char), b = sextet(text, char + 1), c = left === 2 ? sextet(text, char + 2) : 0;
  return (a | b | c) <= 63 && (left === 1 ? b & 15 : c & 3) === 0;
}

/** The bytes in an ArrayBuffer of their own, from offset 0 (Node's `Buffer` may hand out a slice of a shared pool). */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? SEXTETS[code]! : 255;
}

function littleEndianFloats(bytes: Uint8Array): Float32Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}
