/**
 * What the Redis store's calls reject with: node-redis's and the server's errors as
 * churnkit codes whose messages say what happened and whether anything was done. A route
 * quotes a churnkit error's message in its 503 and never a foreign one (a Redis reply can
 * quote keys or a script), so each message here is written, not copied: a server refusal
 * is named by the error word Redis starts its reply with, from the list below only.
 */
import { ChurnkitError } from '../../src/errors.js';

/** Redis's refusals of a command it did not carry out, by the word its reply starts with. */
const REFUSALS: Readonly<Record<string, string>> = {
  OOM: 'Redis is at its maxmemory and refuses writes',
  READONLY: 'Redis is a read-only replica',
  NOAUTH: 'Redis asks for a password the store was not given',
  WRONGPASS: 'Redis refused the store\'s password',
  NOPERM: 'the store\'s Redis user may not run this command on these keys',
  MISCONF: 'Redis cannot write its snapshot and refuses writes',
  LOADING: 'Redis is still loading its data',
  BUSY: 'Redis is busy running a script',
  MASTERDOWN: 'Redis lost its link to its primary',
  NOREPLICAS: 'Redis has too few replicas to accept writes',
  CLUSTERDOWN: 'the Redis cluster is down',
  TRYAGAIN: 'the Redis cluster is moving these keys',
};

/** Socket errors of a connection that broke with commands sent: whether the server ran them is unknown. */
const CONNECTION_BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

/**
 * A key under the store's prefix holds another type than the store keeps there (written by
 * something else, or by hand): the calls touching it fail; other customers are served.
 */
export function keyTypeError(cause?: unknown): ChurnkitError {
  return new ChurnkitError('STORE_KEY_TYPE', 'a key of this data in Redis holds another type of value than the store keeps there (WRONGTYPE)', { cause });
}

/** An error of one customer's data (a key of another type, a state that is not one): their calls fail alone. */
export function isCustomerDataError(error: unknown): error is ChurnkitError {
  return error instanceof ChurnkitError && (error.code === 'STORE_KEY_TYPE' || error.code === 'STATE_FORMAT');
}

/**
 * Rethrows a failed command's error as churnkit's where it is one of the known kinds;
 * others (a script's own error, an unknown reply) pass as they are.
 */
export function typedCommandError(error: unknown): never {
  const message = String((error as Error | undefined)?.message);
  if (message.startsWith('WRONGTYPE')) throw keyTypeError(error);
  const refusal = REFUSALS[message.slice(0, message.indexOf(' '))];
  if (refusal !== undefined) throw new ChurnkitError('STORE_REFUSED', `${refusal}; this command was not carried out`, { cause: error });
  // The socket's own error when the server resets it (a killed Redis), or node-redis's when it closes.
  if (CONNECTION_BROKEN.has(String((error as NodeJS.ErrnoException | undefined)?.code)) || message === 'Socket closed unexpectedly') {
    throw new ChurnkitError('STORE_CONNECTION_LOST', 'the connection to Redis broke before it answered: the call may have been carried out (retry events with the same ids)', { cause: error });
  }
  // node-redis's own words (its errors have no codes).
  switch (message) {
    case 'The queue is full':
      throw new ChurnkitError('STORE_BUSY', 'Redis has not answered the commands already sent on this connection, as many as it may have waiting (a paused or overloaded server); this one was not sent', { cause: error });
    case 'The client is offline':
      throw new ChurnkitError('STORE_OFFLINE', 'the store is not connected to Redis (it reconnects by itself); nothing was sent', { cause: error });
    default:
      throw error;
  }
}
