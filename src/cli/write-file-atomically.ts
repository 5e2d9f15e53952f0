import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ChurnkitError } from '../errors.js';

/**
 * Writes `file` so that readers only ever see the old file or the complete new
 * one: the content goes to `file.tmp-<pid>` first, is flushed to disk, and is renamed over
 * `file` (atomic on the same file system), then the folder's entry is flushed too. On any
 * failure the temporary file is removed, so a crash, a power cut or a full disk never leaves
 * a half-written model or prediction file.
 */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const output = await openFileAtomically(file);
  try {
    await output.write(content);
  } catch (error) {
    await output.discard();
    throw error;
  }
  await output.commit();
}

/** A file written piece by piece that readers see only once committed, whole (see `writeFileAtomically`). */
export interface AtomicFile {
  /** Appends `text` (UTF-8) to the temporary file. */
  write(text: string): Promise<void>;
  /** Flushes, renames the temporary file over the target and flushes the folder. */
  commit(): Promise<void>;
  /** Removes the temporary file: the target stays as it was. */
  discard(): Promise<void>;
}

/**
 * Opens `file` for writing in pieces, as `writeFileAtomically` writes it whole: for output
 * too large to build in memory first (`churnkit predict` on a large export).
 *
 * @example
 * const out = await openFileAtomically('scores.csv');
 * try { for (const chunk of chunks) await out.write(chunk); } catch (error) { await out.discard(); throw error; }
 * await out.commit();
 */
export async function openFileAtomically(file: string): Promise<AtomicFile> {
  const temporary = `${file}.tmp-${process.pid}`;
  const handle = await open(temporary, 'w').catch((error: unknown) => {
    throw unwritable(file, error);
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const discard = async () => {
    await close().catch(() => {});
    await rm(temporary, { force: true });
  };
  return {
    async write(text) {
      await handle.writeFile(text, 'utf8').catch((error: unknown) => {
        throw unwritable(file, error);
      });
    },
    async commit() {
      try {
        await handle.sync();
        await close();
        await rename(temporary, file);
      } catch (error) {
        await discard();
        throw unwritable(file, error);
      }
      await syncFolder(dirname(file));
    },
    discard,
  };
}

function unwritable(file: string, error: unknown): ChurnkitError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
  return new ChurnkitError('OUTPUT_UNWRITABLE', `${file}: cannot write the output file (${reason})`, { cause: error });
}

/** Makes the rename itself durable. Some platforms cannot open a folder for syncing (Windows): the rename is then as durable as they make it. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort, see above.
  }
}
