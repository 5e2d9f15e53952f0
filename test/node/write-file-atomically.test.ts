/**
 * Every output file churnkit writes (models, predictions, reports, a swapped model over the
 * plugin's model file) goes through `writeFileAtomically`: readers see the old file or the
 * new one, whole, and the path the user named is what gets written.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically, writeFilesTogether } from '../../src/node/write-file-atomically.js';
import { ChurnkitError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'churnkit-atomic-'));

/** A folder of its own per test, so a leftover temporary file shows in its listing. */
function folder(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  return path;
}

describe('writeFileAtomically', () => {
  it('replaces the file with the complete new content and leaves no temporary file', async () => {
    const here = folder('replace');
    const file = join(here, 'model.json');
    writeFileSync(file, 'old');
    await writeFileAtomically(file, 'new content');
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(readdirSync(here)).toEqual(['model.json']);
  });

  it('fails with a ChurnkitError naming the file, leaving nothing behind, when the folder is missing', async () => {
    const file = join(dir, 'missing', 'out.csv');
    await expect(writeFileAtomically(file, 'x')).rejects.toThrow(ChurnkitError);
    await expect(writeFileAtomically(file, 'x')).rejects.toThrow(`${file}: cannot write the output file (its folder does not exist)`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('refuses a directory, naming it, and leaves it as it was', async () => {
    const here = folder('directory');
    const occupied = join(here, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'keep'), 'x');
    await expect(writeFileAtomically(occupied, 'x')).rejects.toThrow(`${occupied}: cannot write the output file (it is a directory)`);
    expect(readdirSync(here)).toEqual(['occupied']);
    expect(readdirSync(occupied)).toEqual(['keep']);
  });

  it('leaves one whole file when two writes of it run at once (two model swaps), never a mix', async () => {
    const here = folder('concurrent');
    const file = join(here, 'model.json');
    // Large enough that each write takes many chunks, so writes sharing a file would interleave.
    const first = `${'a'.repeat(4_000_000)}\n`;
    const second = `${'b'.repeat(3_000_000)}\n`;
    for (let round = 0; round < 5; round++) {
      await Promise.all([writeFileAtomically(file, first), writeFileAtomically(file, second)]);
      expect([first, second]).toContain(readFileSync(file, 'utf8'));
      expect(readdirSync(here)).toEqual(['model.json']);
    }
  });

  it('follows a symbolic link: its target gets the content, the link stays a link', async () => {
    const here = folder('link');
    const target = join(here, 'model-v2.json');
    writeFileSync(target, 'old');
    const link = join(here, 'model.json');
    symlinkSync('model-v2.json', link);
    await writeFileAtomically(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('model-v2.json');
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(here).sort()).toEqual(['model-v2.json', 'model.json']);
  });

  it('creates the file a dangling link names', async () => {
    const here = folder('dangling');
    symlinkSync('made-later.csv', join(here, 'out.csv'));
    await writeFileAtomically(join(here, 'out.csv'), 'x,y\n');
    expect(readFileSync(join(here, 'made-later.csv'), 'utf8')).toBe('x,y\n');
    expect(lstatSync(join(here, 'out.csv')).isSymbolicLink()).toBe(true);
  });

  it('refuses a loop of symbolic links, naming the path, and writes nothing', async () => {
    const here = folder('loop');
    symlinkSync('b', join(here, 'a'));
    symlinkSync('a', join(here, 'b'));
    await expect(writeFileAtomically(join(here, 'a'), 'x')).rejects.toThrow(`${join(here, 'a')}: cannot write the output file (more than 40 symbolic links)`);
    expect(readdirSync(here).sort()).toEqual(['a', 'b']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const file = join(folder('mode'), 'secret-model.json');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    await writeFileAtomically(file, 'new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes into a named pipe (as /dev/stdout would be) instead of replacing it with a file', async () => {
    const pipe = join(folder('pipe'), 'scores.fifo');
    execFileSync('mkfifo', [pipe]);
    // A reader that does not wait, so the write can open the pipe and the test never hangs.
    const reader = openSync(pipe, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      await writeFileAtomically(pipe, 'customer_id,probability\n');
      expect(lstatSync(pipe).isFIFO()).toBe(true);
      const buffer = Buffer.alloc(100);
      const read = readSync(reader, buffer);
      expect(buffer.subarray(0, read).toString('utf8')).toBe('customer_id,probability\n');
    } finally {
      closeSync(reader);
    }
  });
});

describe('writeFilesTogether', () => {
  it('writes every file whole, and leaves every one as it was when one of them cannot be written', async () => {
    const here = folder('together');
    const model = join(here, 'tuned.json');
    writeFileSync(model, 'old model');
    await expect(writeFilesTogether([[model, 'new model'], [join(here, 'missing', 'report.html'), '<html>']])).rejects.toThrow(/report\.html: cannot write the output file \(its folder does not exist\)/);
    expect(readFileSync(model, 'utf8')).toBe('old model');
    expect(readdirSync(here)).toEqual(['tuned.json']);
    await writeFilesTogether([[model, 'new model'], [join(here, 'report.html'), '<html>']]);
    expect(readFileSync(model, 'utf8')).toBe('new model');
    expect(readFileSync(join(here, 'report.html'), 'utf8')).toBe('<html>');
  });
});
