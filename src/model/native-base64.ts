/**
 * The runtime's own base64 decoder, where it has one, for `base64ToFloats`: the standard
 * `Uint8Array.fromBase64` (Deno, Bun, workerd and browsers; not Node 20). In Deno here it
 * decoded 29 MB of text in 41-44 ms where the table loop, optimized by then, took 115-207 ms,
 * and on a cold start the shipped model's 27 KB of weights in 0.4-0.5 ms where the loop, still
 * interpreted, took 2.2-3.4 ms.
 *
 * The package's `#native-base64` import picks this file everywhere but Node, where
 * `native-base64-buffer.ts` adds `Buffer`: a page's bundle does not carry Node's path.
 */

/** Bytes of canonical base64 `text` that should hold `byteCount` bytes; undefined when it is not canonical; null when this decoder leaves the text to the table loop. */
export type NativeBase64Decoder = (text: string, byteCount: number) => Uint8Array | undefined | null;

const fromBase64 = (Uint8Array as { fromBase64?: (text: string, options: { lastChunkHandling: 'strict' }) => Uint8Array }).fromBase64;

/** `Uint8Array.fromBase64` in strict mode, where the runtime has it. */
export const standardBase64Decoder: NativeBase64Decoder | undefined =
  fromBase64 &&
  ((text, byteCount) => {
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(text, { lastChunkHandling: 'strict' });
    } catch {
      return undefined;
    }
    // Strict mode refuses what is not canonical (the alphabet, padding, unused bits) but skips white space, which then decodes short.
    return bytes.length === byteCount ? bytes : undefined;
  });

export const nativeBase64Decoder = standardBase64Decoder;
