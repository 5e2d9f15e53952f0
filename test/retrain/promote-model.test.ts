/**
 * Promoting over HTTP ends: a server that takes the PUT and never answers fails the promotion
 * after the timeout, naming the URL, instead of holding a cron-run retrain forever.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChurnkitError } from '../../src/errors.js';
import type { ModelFileV1 } from '../../src/model/model-file.js';
import { promoteToServer } from '../../src/retrain/promote-model.js';
import { runCli, makeTempDir } from '../cli/run-cli.js';
import { SHIPPED_MODEL } from './drifted-store.js';

describe('promoteToServer against a server that never answers', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Reads the request, then says nothing: the connection stays open.
    server = createServer((request) => request.resume());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/churn/model`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails with RETRAIN_PROMOTE_TIMEOUT naming the URL and the timeout', async () => {
    const started = performance.now();
    const promotion = promoteToServer({} as ModelFileV1, url, 'a-token-of-sixteen-bytes', { timeoutMs: 300 });
    await expect(promotion).rejects.toThrow(ChurnkitError);
    await expect(promotion).rejects.toMatchObject({ code: 'RETRAIN_PROMOTE_TIMEOUT', message: expect.stringContaining(`${url} did not answer the promotion within 0.3 s`) });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('churnkit retrain --promote-timeout', () => {
  it('refuses a timeout that is not a positive number of seconds before reading anything', () => {
    const dir = makeTempDir();
    for (const value of ['0', '-1', 'soon', '9999999']) {
      const run = runCli(['retrain', '--store', 'sqlite:./nowhere', '--champion', SHIPPED_MODEL, '--out', 'out', '--promote-timeout', value], dir);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/option '--promote-timeout <seconds>' argument .* is invalid/);
    }
  });
});
