import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64FloatCount, base64ToFloats, floatsToBase64 } from '../../src/model/base64-floats.js';
import { bufferBase64Decoder } from '../../src/model/native-base64-buffer.js';
import { cleanEnvironment, denoEnvironment, REPO } from '../package/installed-package.js';

const floats = (count: number) => Float32Array.from({ length: count }, (_, i) => (i % 2 ? -1 : 1) * (i + 0.25) * 1.5e-3);

/** Base64 whose last group carries one byte ("==") or two ("="). */
const withPadding = (padding: string) => [1, 2, 3, 4, 5, 6].map((count) => floatsToBase64(floats(count))).find((text) => text.endsWith(padding) && !text.endsWith(`=${padding}`))!;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Texts that are not canonical base64 of whole floats, each with why. */
function refusedTexts(): [string, string][] {
  const text = floatsToBase64(floats(6));
  const oneByte = withPadding('==');
  const twoBytes = withPadding('=');
  return [
    [`!${text.slice(1)}`, 'outside the alphabet'],
    [`${text.slice(0, 8)}-${text.slice(9)}`, 'URL-safe alphabet'],
    [`${text.slice(0, 8)}=${text.slice(9)}`, 'padding inside'],
    [`${text.slice(0, 8)} ${text.slice(9)}`, 'white space'],
    [`${text.slice(0, 8)}    ${text.slice(12)}`, 'white space in place of a whole group'],
    [`${text.slice(0, 8)}é${text.slice(9)}`, 'beyond ASCII'],
    [text.slice(0, -4), 'not whole floats'],
    [`${text}A`, 'length not a multiple of 4'],
    [`${oneByte.slice(0, -3)}B==`, "one byte's group with its unused low bits set"],
    [`${twoBytes.slice(0, -2)}B=`, "two bytes' group with its unused low bits set"],
    [`${oneByte.slice(0, -2)}A=`, 'padding one short: a byte count that is not whole floats'],
  ];
}

describe('base64ToFloats', () => {
  it("decodes small texts with Node's Buffer and large ones with its own loop, by default in Node 20 (it has no Uint8Array.fromBase64)", () => {
    expect((Uint8Array as { fromBase64?: unknown }).fromBase64, 'this Node has Uint8Array.fromBase64, which goes first').toBeUndefined();
    const from = vi.spyOn(Buffer, 'from');
    for (const count of [5, 100_000]) {
      const values = floats(count);
      const text = floatsToBase64(values);
      from.mockClear();
      expect(base64ToFloats(text)).toEqual(values);
      expect(from.mock.calls.length, `${text.length} characters`).toBe(count === 5 ? 1 : 0);
    }
  });

  // The table loop alone: a native decoder that leaves every text to it.
  for (const [name, decoder] of [['Buffer', bufferBase64Decoder!], ['table loop', () => null]] as const) {
    describe(`with the ${name}`, () => {
      it('gives back the floats for every length of the last group', () => {
        for (let count = 0; count <= 13; count++) {
          const values = floats(count);
          expect(base64ToFloats(floatsToBase64(values), decoder)).toEqual(values);
        }
      });

      it('returns floats over a buffer of their own', () => {
        const decoded = base64ToFloats(floatsToBase64(floats(3)), decoder)!;
        expect(decoded.byteOffset).toBe(0);
        expect(decoded.buffer.byteLength).toBe(12);
      });

      it('refuses text that is not canonical base64 of whole floats', () => {
        for (const [bad, why] of refusedTexts()) expect(base64ToFloats(bad, decoder), why).toBeUndefined();
      });
    });
  }

  it('decodes with Uint8Array.fromBase64 in Deno (from npm, its V8 has it), bundled as a Worker or page bundles it: same floats, same refusals', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'churnkit-base64-'));
    try {
      await build({ entryPoints: [join(REPO, 'dist', 'src', 'model', 'base64-floats.js')], bundle: true, format: 'esm', platform: 'neutral', conditions: ['workerd', 'browser'], outfile: join(folder, 'decoder.js'), logLevel: 'silent' });
      const counts = [0, 1, 2, 3, 4, 5, 6, 7, 13, 100_000];
      const cases = { decoded: counts.map((count) => floatsToBase64(floats(count))), refused: refusedTexts().map(([text]) => text) };
      writeFileSync(join(folder, 'cases.json'), JSON.stringify(cases));
      const script = `
        // Counted, to show that the standard decoder is the one that decodes.
        const fromBase64 = Uint8Array.fromBase64;
        let standardCalls = 0;
        Uint8Array.fromBase64 = (...args) => (standardCalls++, fromBase64(...args));
        const { base64ToFloats } = await import('./decoder.js');
        const cases = JSON.parse(await Deno.readTextFile('cases.json'));
        const decoded = cases.decoded.map((text) => { const floats = base64ToFloats(text); return { values: [...floats], own: floats.byteOffset === 0 && floats.buffer.byteLength === floats.byteLength }; });
        const refused = cases.refused.map((text) => base64ToFloats(text) === undefined);
        console.log(JSON.stringify({ standardCalls, decoded, refused }));`;
      const run = spawnSync(join(REPO, 'node_modules', '.bin', 'deno'), ['eval', '--ext=js', script], {
        cwd: folder,
        env: cleanEnvironment(denoEnvironment(folder)),
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (run.status !== 0) throw new Error(`deno exited with ${run.status ?? run.signal ?? run.error?.message}: ${run.stderr}`);
      const answer = JSON.parse(run.stdout) as { standardCalls: number; decoded: { values: number[]; own: boolean }[]; refused: boolean[] };
      // Every text reached it but those whose length alone is not whole floats.
      expect(answer.standardCalls).toBe([...cases.decoded, ...cases.refused].filter((text) => base64FloatCount(text) !== undefined).length);
      answer.decoded.forEach(({ values, own }, index) => {
        expect(Float32Array.from(values), `${counts[index]} floats`).toEqual(floats(counts[index]!));
        expect(own, `${counts[index]} floats over a buffer of their own`).toBe(true);
      });
      refusedTexts().forEach(([, why], index) => expect(answer.refused[index], why).toBe(true));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
