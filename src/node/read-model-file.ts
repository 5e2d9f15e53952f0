/** Reading a model file from disk, bounded before a byte is read. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ModelFormatError } from '../errors.js';
import { parseModelFile, type ParseModelFileOptions } from '../model/model-file.js';
import type { ModelFileV1 } from '../model/model-file-schema.js';
import { MODEL_LIMITS } from '../model/model-limits.js';

/**
 * Reads and validates a model file. A file over `maxBytes` is refused from its size alone
 * (`MODEL_TOO_LARGE`, nothing read); a missing or unreadable file is a `ModelFormatError`
 * (`MODEL_UNREADABLE`) naming it, like a corrupt one. The bytes go to `parseModelFile` as they
 * are: one UTF-8 decode, byte-order mark accepted.
 *
 * @example
 * import { loadModel } from 'churnkit';
 * import { readModelFile, loadEngine } from 'churnkit/node';
 * const model = loadModel(await loadEngine(), await readModelFile('models/storefront.json'));
 */
export async function readModelFile(path: string, options: Omit<ParseModelFileOptions, 'file'> = {}): Promise<ModelFileV1> {
  return parseModelFile(await readModelBytes(path, options.maxBytes), { ...options, file: path });
}

/**
 * A model file's bytes, unparsed, with `readModelFile`'s bound and errors: what the plugin's
 * Node loader gives `parseModelFile`.
 *
 * @example
 * await readModelBytes('missing.json'); // in /srv/shop: ModelFormatError MODEL_UNREADABLE: /srv/shop/missing.json: model file not found
 */
export async function readModelBytes(path: string, maxBytes: number = MODEL_LIMITS.maxBytes): Promise<Uint8Array> {
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) throw new ModelFormatError('MODEL_UNREADABLE', 'is a directory, expected a model file', { file: path });
    if (!stats.isFile()) throw new ModelFormatError('MODEL_UNREADABLE', 'is not a regular file (a device or pipe has no size to check), expected a model file', { file: path });
    if (stats.size > maxBytes) {
      throw new ModelFormatError('MODEL_TOO_LARGE', `the model file is ${stats.size} bytes, over the limit of ${maxBytes} (raise it with the maxBytes option if the model is genuinely this large)`, { file: path });
    }
    return await readFile(path);
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    // A relative path is read from the working directory, which for a server started by a
    // service manager or from another folder is not where its code is: a missing file is
    // named where it was looked for. (Answers to callers cut it to the file's name.)
    if (code === 'ENOENT') throw new ModelFormatError('MODEL_UNREADABLE', 'model file not found', { file: resolve(path), cause: error });
    throw new ModelFormatError('MODEL_UNREADABLE', `cannot read the model file (${code ?? String(error)})`, { file: path, cause: error });
  }
}
