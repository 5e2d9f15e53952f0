/**
 * Importing an optional peer dependency (express, prom-client, better-sqlite3, redis): each
 * is installed only by the users of the entry point that needs it, so a missing one must
 * say which package and how to install it rather than surface a resolver stack trace.
 */
import { ChurnkitError } from '../src/errors.js';

/**
 * `load()`, or a `PEER_DEPENDENCY_MISSING` error naming `name` and the install command
 * when the package is not installed. Other failures (a broken native build) pass through.
 *
 * @example
 * const { createClient } = await importPeer('redis', 'churnkit/stores/redis', () => import('redis'));
 */
export async function importPeer<T>(name: string, neededBy: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissingPackage(error, name)) throw error;
    throw new ChurnkitError('PEER_DEPENDENCY_MISSING', `${neededBy} needs the "${name}" package, which is not installed: run "npm install ${name}"`, { cause: error });
  }
}

function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || (typeof message === 'string' && /cannot find (package|module)/i.test(message));
  return notFound && typeof message === 'string' && message.includes(name);
}
