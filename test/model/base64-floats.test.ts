import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64ToFloats, floatsToBase64 } from '../../src/model/base64-floats.js';

const floats = (count: number) => Float32Array.from({ length: count }, (_, i) => (i % 2 ? -1 : 1) * (i + 0.25) * 1.5e-3);

/** Base64 whose last group carries one byte ("==") or two ("="). */
const withPadding = (padding: string) => [1, 2, 3, 4, 5, 6].map((count) => floatsToBase64(floats(count))).find((text) => text.endsWith(padding) && !text.endsWith(`=${padding}`))!;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('base64ToFloats', () => {
  it("decodes small texts with Node's Buffer and large ones with its own loop, by default", () => {
    const from = vi.spyOn(Buffer, 'from');
    for (const count of [5, 100_000]) {
      const values = floats(count);
      const text = floatsToBase64(values);
      from.mockClear();
      expect(base64ToFloats(text)).toEqual(values);
      expect(from.mock.calls.length, `${text.length} characters`).toBe(count === 5 ? 1 : 0);
    }
  });

  for (const [name, native] of [['Buffer', true], ['table loop', false]] as const) {
    describe(`with the ${name}`, () => {
      it('gives back the floats for every length of the last group', () => {
        for (let count = 0; count <= 13; count++) {
          const values = floats(count);
          expect(base64ToFloats(floatsToBase64(values), native)).toEqual(values);
        }
      });

      it('returns floats over a buffer of their own', () => {
        const decoded = base64ToFloats(floatsToBase64(floats(3)), native)!;
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
        for (const bad of refused) expect(base64ToFloats(bad, native), JSON.stringify(bad)).toBeUndefined();
      });
    });
  }
});
