/**
 * Promoting over HTTP ends: a server that takes the PUT and never answers fails the promotion
 * after the timeout, naming the URL, instead of holding a cron-run retrain forever. And a
 * challenger the server refuses is not written where the next start would load it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChurnkitError } from '../../src/errors.js';
import type { ModelFileV1 } from '../../src/model/model-file.js';
import { promoteToServer } from '../../src/retrain/promote-model.js';
import { openSqliteStore } from '../../plugin/store/sqlite-store.js';
import { runCli, runCliAsync, makeTempDir } from '../cli/run-cli.js';
import { losingChampionFile, quickShopEvents } from './losing-champion.js';
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

describe('churnkit retrain --promote-url with --promote-to, to a server that refuses the challenger', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // A storefront whose store the challenger does not fit, say: it answers 400.
    server = createServer((request, response) => {
      request.resume();
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'MODEL_DOES_NOT_FIT', message: 'does not fit' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/churn/model`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails the run and leaves the model file the next start loads as it was', async () => {
    const dir = makeTempDir();
    const store = openSqliteStore({ dataDir: join(dir, 'data') });
    await store.appendEvents(quickShopEvents());
    await store.close();
    const champion = `${JSON.stringify(await losingChampionFile())}\n`;
    writeFileSync(join(dir, 'serving.json'), champion);
    const run = await runCliAsync(
      ['retrain', '--store', 'sqlite:./data', '--champion', 'serving.json', '--out', 'out', '--horizon', '30d', '--model', 'logreg', '--explain-rows', '20', '--promote-to', 'serving.json', '--promote-url', url],
      dir,
      { CHURNKIT_ADMIN_TOKEN: 'a-token-of-sixteen-bytes' },
    );
    expect(run.stderr).toMatch(/refused the challenger with HTTP 400/);
    expect(run.status).toBe(1);
    // The challenger won (the champion reads recency backwards) but was refused: the file is still the champion.
    const version = (file: string) => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { version: string }).version;
    expect(version('out/challenger.json')).toMatch(/^logreg-/);
    expect(version('serving.json')).toBe('champion-backwards');
    expect(readFileSync(join(dir, 'serving.json'), 'utf8')).toBe(champion);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
