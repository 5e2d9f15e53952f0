import { fstatSync, type Stats } from 'node:fs';
import { lstat, open, readlink, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ChurnkitError } from '../errors.js';
import { trackTemporary } from './pending-temporaries.js';

/**
 * Writes `file` so that readers only ever see the old file or the complete new
 * one: the content goes to `file.tmp-<pid>-<n>` first, is flushed to disk, and is renamed over
 * `file` (atomic on the same file system), then the folder's entry is flushed too. On any
 * failure the temporary file is removed, so a crash, a power cut or a full disk never leaves
 * a half-written model or prediction file. A command line that called
 * `removeTemporariesOnSignals` also removes it when Ctrl-C or `kill` stops the write.
 *
 * The file written is the one the path names in the end: a symbolic link is followed (its
 * target is replaced, the link kept), an existing file keeps its permissions, and a path that
 * is not a file (`/dev/stdout`, a named pipe) is written straight into, as a shell's `>` does:
 * a rename over it would replace the device itself. A path that is this process's own
 * standard output or error (`/dev/stdout`, whatever it leads to) is written through that
 * stream: in order with the rest of the output, appended under `>>`, and also where Linux
 * cannot open it by path (a socket: a Node parent's pipes).
 */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  await writeFileInPieces(file, (write) => write(content));
}

/**
 * Writes `file` as `writeFileAtomically` does, from pieces `produce` hands over one at a time,
 * each written before the next is asked for: output too large to hold whole (a generated
 * event log). If `produce` throws, the file stays as it was.
 *
 * @example
 * await writeFileInPieces('events.csv', async (write) => { for (const chunk of chunks()) await write(chunk); });
 */
export async function writeFileInPieces(file: string, produce: (write: (data: string | Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
  const output = await openFileAtomically(file);
  try {
    await produce((data) => output.write(data));
  } catch (error) {
    await output.discard();
    throw error;
  }
  await output.commit();
}

/**
 * Writes several files as `writeFileAtomically` writes one, each whole to its temporary file
 * before any is renamed: a failure writing one (a full disk) leaves none of them changed.
 * (The renames themselves are one after the other.)
 *
 * @example
 * await writeFilesTogether([['tuned.json', modelJson], ['tuned.report.html', reportHtml]]);
 */
export async function writeFilesTogether(files: readonly (readonly [path: string, content: string])[]): Promise<void> {
  const opened: AtomicFile[] = [];
  try {
    for (const [path, content] of files) {
      const output = await openFileAtomically(path);
      opened.push(output);
      await output.write(content);
    }
  } catch (error) {
    for (const output of opened) await output.discard();
    throw error;
  }
  for (const output of opened) await output.commit();
}

/** A file written piece by piece that readers see only once committed, whole (see `writeFileAtomically`). */
export interface AtomicFile {
  /** Appends `data` (text as UTF-8, or bytes) to the temporary file. */
  write(data: string | Uint8Array): Promise<void>;
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
  // Through every link, /proc's too: `/dev/stdout` leads to `pipe:[…]`, which is no path.
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw cannotWrite(file, 'it is a directory');
  const standard = existing === undefined ? undefined : ownStandardStream(existing);
  if (standard !== undefined) return writeThrough(file, standard);
  if (existing !== undefined && !existing.isFile()) return openDirectly(file);
  const target = await finalPath(file);
  // A name of its own per write: two writes of one file at once (two model swaps) each
  // rename a whole file, and the last rename wins, where a shared name would mix them.
  const temporary = `${target}.tmp-${process.pid}-${++temporaries}`;
  const settled = trackTemporary(temporary);
  const handle = await open(temporary, 'w').catch((error: unknown) => {
    settled();
    throw unwritable(file, error);
  });
  // Best effort: a file of another owner cannot be given its mode, and is then written with the default one.
  if (existing !== undefined) await handle.chmod(existing.mode & 0o777).catch(() => {});
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const discard = async () => {
    await close().catch(() => {});
    await rm(temporary, { force: true });
    settled();
  };
  return {
    async write(data) {
      await handle.writeFile(data).catch((error: unknown) => {
        throw unwritable(file, error);
      });
    },
    async commit() {
      try {
        await handle.sync();
        await close();
        await rename(temporary, target);
        settled();
      } catch (error) {
        await discard();
        throw unwritable(file, error);
      }
      await syncFolder(dirname(target));
    },
    discard,
  };
}

/** Temporary files made by this process so far: each write's gets its own number. */
let temporaries = 0;

/** The path a write to `file` lands on: through symbolic links (a dangling one to the file it names). */
async function finalPath(file: string): Promise<string> {
  let path = resolve(file);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    const entry = await lstat(path).catch(() => undefined);
    if (entry === undefined || !entry.isSymbolicLink()) return path;
    const link = await readlink(path).catch((error: unknown) => {
      throw unwritable(file, error);
    });
    path = resolve(dirname(path), link);
  }
  throw cannotWrite(file, `more than ${MAX_LINKS} symbolic links`);
}

/** Links followed before giving up, as Linux does (its limit is 40). */
const MAX_LINKS = 40;

/** A device or pipe (`/dev/stdout`, a FIFO): written in place; there is no old content to keep. */
async function openDirectly(file: string): Promise<AtomicFile> {
  const handle = await open(file, 'w').catch((error: unknown) => {
    throw unwritable(file, error);
  });
  const close = () => handle.close().catch(() => {});
  return {
    async write(data) {
      await handle.writeFile(data).catch((error: unknown) => {
        throw unwritable(file, error);
      });
    },
    commit: close,
    discard: close,
  };
}

/** The standard stream whose descriptor is the file `target` describes, if any. */
function ownStandardStream(target: Stats): NodeJS.WriteStream | undefined {
  for (const [fd, stream] of [[1, process.stdout], [2, process.stderr]] as const) {
    let own: Stats;
    try {
      own = fstatSync(fd);
    } catch {
      continue; // closed
    }
    if (own.dev === target.dev && own.ino === target.ino) return stream;
  }
  return undefined;
}

/** Writes through this process's own stream, each piece once the stream has taken it (its back-pressure). */
function writeThrough(file: string, stream: NodeJS.WriteStream): AtomicFile {
  const done = async () => {};
  return {
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        stream.write(data, (error) => (error ? reject(unwritable(file, error)) : resolve()));
      }),
    commit: done,
    discard: done,
  };
}

function unwritable(file: string, error: unknown): ChurnkitError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
  return cannotWrite(file, reason, error);
}

function cannotWrite(file: string, reason: string, cause?: unknown): ChurnkitError {
  return new ChurnkitError('OUTPUT_UNWRITABLE', `${file}: cannot write the output file (${reason})`, cause === undefined ? undefined : { cause });
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
