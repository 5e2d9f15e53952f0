import { describe, expect, it } from 'vitest';
import { base64ToFloats, floatsToBase64, nativeBase64Decoder } from '../../src/model/base64-floats.js';

const floats = (count: number) => Float32Array.from({ length: count }, (_, i) => (i % 2 ? -1 : 1) * (i + 0.25) * 1.5e-3);

/** Base64 whose last group carries one byte ("==": 4n+1 floats' bytes ≡ 1 mod 3) and two bytes ("=": ≡ 2 mod 3). */
const withPadding = (padding: string) => [1, 2, 3, 4, 5, 6].map((count) => floatsToBase64(floats(count))).find((text) => text.endsWith(padding) && !text.endsWith(`=${padding}`))!;

describe('base64ToFloats', () => {
  it('has a native decoder in Node', () => {
    expect(nativeBase64Decoder).toBeTypeOf('function');
  });

  it('decodes texts on both sides of the native decoder\'s bound by default', () => {
    for (const count of [5, 100_000]) {
      const values = floats(count);
      expect(base64ToFloats(floatsToBase64(values))).toEqual(values);
    }
  });

  const decoders = { native: nativeBase64Decoder, 'table loop': null };
  for (const [name, decode] of Object.entries(decoders)) {
    describe(`with the ${name}`, () => {
      it('gives back the floats for every length of the last group', () => {
        for (let count = 0; count <= 13; count++) {
          const values = floats(count);
          expect(base64ToFloats(floatsToBase64(values), decode)).toEqual(values);
        }
      });

      it('returns floats over a buffer of their own', () => {
        const decoded = base64ToFloats(floatsToBase64(floats(3)), decode)!;
        expect(decoded.byteOffset).toBe(0);
        expect(decoded.buffer.byteLength).toBe(12);
      });

      it('refuses text that is not canonical base64 of whole floats', () => {
        const text = floatsToBase64(floats(6));
        const oneByte = withPadding('==');
        const twoBytes = withPadding('=');
        const refused = [
          `!${text.slice(1)}`, // outside the alphabet
          `${text.slice(0, 8)}-${text.slice(9)}`, // URL-safe alphabet
          `${text.slice(0, 8)}=${text.slice(9)}`, // padding inside
          `${text.slice(0, 8)} ${text.slice(9)}`, // white space
          `${text.slice(0, 8)}é${text.slice(9)}`, // beyond ASCII
          text.slice(0, -4), // not whole floats
          `${text}A`, // length not a multiple of 4
          `${oneByte.slice(0, -3)}B==`, // one byte's group with its unused low bits set
          `${twoBytes.slice(0, -2)}B=`, // two bytes' group with its unused low bits set
          `${oneByte.slice(0, -2)}A=`, // padding one short: a byte count that is not whole floats
        ];
        for (const bad of refused) expect(base64ToFloats(bad, decode), JSON.stringify(bad)).toBeUndefined();
      });
    });
  }
});
