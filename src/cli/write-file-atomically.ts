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
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
    throw new ChurnkitError('OUTPUT_UNWRITABLE', `${file}: cannot write the output file (${reason})`, { cause: error });
  }
  await syncFolder(dirname(file));
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
