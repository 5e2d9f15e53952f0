/**
 * What crosses from the Durable Object to its clients when a store call fails. The object's
 * answer becomes a ChurnkitError on the client, and a churnkit error's message is shown to
 * callers (plugin/error-report.ts), so only churnkit's own messages may cross: a platform
 * error's text (storage, a defect) could carry stored data. Here the object and its client
 * are wired directly, without workerd: the rule lives in the two functions, not the runtime.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChurnStoreObject, durableObjectStore, type DurableObjectNamespaceBinding, type DurableObjectStorageLike } from '../../../plugin/store/cloudflare/index.js';
import { ChurnkitError } from '../../../src/errors.js';

/** Storage whose reads fail with `error`. */
function failingStorage(error: unknown): DurableObjectStorageLike {
  return {
    get: () => Promise.reject(error),
    put: () => Promise.resolve(),
    delete: () => Promise.resolve(true),
    list: () => Promise.reject(error),
  };
}

/** A namespace whose every stub is `object`, as `namespace.get(id)` gives in a Worker. */
function namespaceOf(object: ChurnStoreObject): DurableObjectNamespaceBinding<string> {
  return {
    idFromName: (name) => name,
    get: () => ({ fetch: (input, init) => object.fetch(new Request(input, init)) }),
  };
}

async function failure(promise: Promise<unknown>): Promise<ChurnkitError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ChurnkitError);
  return error as ChurnkitError;
}

afterEach(() => vi.restoreAllMocks());

describe('a failing Durable Object store call', () => {
  it("keeps a platform error's text in the object's log and out of the client's error", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const secret = new Error('storage failed reading customer jane@example.com (card ending 4242)');
    const store = durableObjectStore(namespaceOf(new ChurnStoreObject({ storage: failingStorage(secret) })), { name: 'shop' });
    const error = await failure(store.getCustomerState('c-1'));
    expect(error.code).toBe('STORE_ERROR');
    expect(error.message).toBe(`Durable Object store "shop", getCustomerState: failed with status 500 (the object's log has the cause)`);
    expect(logged).toHaveBeenCalledWith('churnkit: Durable Object store, getCustomerState:', secret);
  });

  it('lets a churnkit error cross with its own code and message', async () => {
    const refusal = new ChurnkitError('STORE_CONTENTION', 'customer c-1 was written by another call meanwhile');
    const store = durableObjectStore(namespaceOf(new ChurnStoreObject({ storage: failingStorage(refusal) })), { name: 'shop' });
    const error = await failure(store.getCustomerState('c-1'));
    expect(error.code).toBe('STORE_CONTENTION');
    expect(error.message).toBe('Durable Object store "shop", getCustomerState: customer c-1 was written by another call meanwhile');
  });
});
