import { rename, rm, writeFile } from 'node:fs/promises';
import { ChurnkitError } from '../errors.js';

/**
 * Writes `file` so that readers only ever see the old file or the complete new
 * one: the content goes to `file.tmp-<pid>` first and is renamed over `file`
 * (atomic on the same file system). On any failure the temporary file is removed,
 * so a crash or a full disk never leaves a half-written model or prediction file.
 */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
    throw new ChurnkitError('OUTPUT_UNWRITABLE', `${file}: cannot write the output file (${reason})`, { cause: error });
  }
}
