/**
 * `#native-base64` in Node: the standard decoder where this Node has it (Node 20 does not),
 * else `Buffer`'s for texts up to BUFFER_DECODE_MAX_LENGTH. A cold start runs the table loop in
 * V8's interpreter: the shipped storefront model's 27 KB of weights took 2.4-4.8 ms, then a
 * 12 ms optimizing compile competing for the cores; `Buffer` decodes them in about 0.4 ms.
 * Longer texts go to the loop, which, once optimized, decodes a 22 MB model's weights in 45-62
 * ms here where `Buffer` takes 70-170 ms.
 */
import { standardBase64Decoder, type NativeBase64Decoder } from './native-base64.js';

export type { NativeBase64Decoder } from './native-base64.js';

/** Texts up to this length go to `Buffer` (about where the loop's start-up and `Buffer`'s slower rate cost the same). */
const BUFFER_DECODE_MAX_LENGTH = 262_144;

const NodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array & { toString(encoding: 'base64'): string } } }).Buffer;

/** Node's `Buffer`: it skips what it cannot read and lets unused bits pass, so its bytes count only if they encode back to the same text. */
export const bufferBase64Decoder: NativeBase64Decoder | undefined =
  NodeBuffer &&
  ((text, byteCount) => {
    if (text.length > BUFFER_DECODE_MAX_LENGTH) return null;
    const bytes = NodeBuffer.from(text, 'base64');
    // A copy: `Buffer` hands out small results from a shared pool.
    return bytes.length === byteCount && bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
  });

export const nativeBase64Decoder = standardBase64Decoder ?? bufferBase64Decoder;
