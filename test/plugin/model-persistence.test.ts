/**
 * Issue 11: a crash during a model swap leaves the old model or the new one, never a mix.
 * With `saveSwappedModel`, `PUT /churn/model` writes the model file (a temporary file,
 * flushed, renamed over the model path) before the swap; this test kills the serving process
 * with SIGKILL while swaps are in flight, then checks the file on disk (it parses and its
 * checksum holds) and that the restarted process serves exactly it: the last acknowledged
 * version, or the one that was being written.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { churn } from '../../plugin/express/index.js';
import { OptionsError } from '../../src/errors.js';
import { parseModelFile } from '../../src/model/model-file.js';
import { ADMIN_TOKEN, testStorefront } from './plugin-app.js';
import { killHard, startChildServer } from './store/child-server.js';
import { testModelFile } from './test-model.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'churnkit-swap-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Kill rounds; CHURNKIT_SWAP_KILL_ROUNDS runs more (each round starts a Node process, about 5 s here). */
const ROUNDS = Number(process.env.CHURNKIT_SWAP_KILL_ROUNDS ?? 4);
/** Generous per round: a round is mostly a Node process starting, slow on a busy machine. */
const TEST_TIMEOUT_MS = Math.max(180_000, ROUNDS * 20_000);

function startChild(modelPath: string) {
  return startChildServer(join(here, 'swap-server.ts'), [modelPath, ADMIN_TOKEN], 'swap server');
}

async function servedVersion(port: number): Promise<string> {
  const health = (await (await fetch(`http://127.0.0.1:${port}/churn/healthz`)).json()) as { modelVersion: string };
  return health.modelVersion;
}

describe('saveSwappedModel under kill -9', () => {
  it(`leaves the old model file or the new one, whole, and serves it after a restart (${ROUNDS} rounds)`, async () => {
    const modelPath = join(root, 'model.json');
    writeFileSync(modelPath, JSON.stringify(await testModelFile('v0')));
    let expected = 'v0';
    const files = new Map<string, string>();
    const found = { acknowledged: 0, inFlight: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const { child, port } = await startChild(modelPath);
      expect(await servedVersion(port)).toBe(expected);
      let acknowledged = expected;
      let inFlight: string | null = null;
      // Swap back to back; SIGKILL lands after a few acknowledgements, at a different moment each round.
      const killAfter = 2 + (round % 4);
      let killed: Promise<void> | null = null;
      for (let swap = 0; killed === null; swap++) {
        const version = `r${round}-s${swap}`;
        if (!files.has(version)) files.set(version, JSON.stringify(await testModelFile(version, -0.5 + swap / 10)));
        inFlight = version;
        const put = fetch(`http://127.0.0.1:${port}/churn/model`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          body: files.get(version)!,
        });
        if (swap === killAfter) {
          // Killed while this swap is being read, loaded or written.
          await new Promise((resolve) => setTimeout(resolve, round * 3));
          killed = killHard(child);
          await put.catch(() => undefined);
          break;
        }
        const response = await put;
        expect(response.status).toBe(200);
        acknowledged = version;
        inFlight = null;
      }
      await killed;
      expect(child.signalCode).toBe('SIGKILL');
      // The file on disk is a whole model: it parses and its checksum holds.
      const onDisk = await parseModelFile(readFileSync(modelPath, 'utf8'));
      expect([acknowledged, inFlight]).toContain(onDisk.version);
      found[onDisk.version === acknowledged ? 'acknowledged' : 'inFlight']++;
      expected = onDisk.version;
    }
    console.info(`model swap under kill -9: ${ROUNDS} rounds; the file held the last acknowledged model ${found.acknowledged} times, the one being swapped in ${found.inFlight} times, a broken file never`);
    // For bench/RESULTS.md's "Reliability" section (npm run bench:fuzz sets it).
    const reliabilityDir = process.env.CHURNKIT_RELIABILITY_DIR;
    if (reliabilityDir) writeFileSync(join(reliabilityDir, 'model-swap-crash.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), rounds: ROUNDS, ...found, broken: 0 }, null, 2)}\n`);
    const { child, port } = await startChild(modelPath);
    try {
      expect(await servedVersion(port)).toBe(expected);
    } finally {
      await killHard(child);
    }
  }, TEST_TIMEOUT_MS);
});

/** A storefront serving model v1 from its own file, keeping swapped models. */
async function savingStorefront() {
  const modelPath = join(mkdtempSync(join(root, 'saved-')), 'model.json');
  writeFileSync(modelPath, JSON.stringify(await testModelFile('v1')));
  return { modelPath, shop: await testStorefront({ model: modelPath, engine: { fallback: 'js' }, saveSwappedModel: true }) };
}

describe('saveSwappedModel', () => {
  it('writes the swapped model over the model file before it serves, and a restart serves it', async () => {
    const { shop, modelPath } = await savingStorefront();
    try {
      await request(shop.app).put('/churn/model').set({ authorization: `Bearer ${ADMIN_TOKEN}` }).send(await testModelFile('v2', 1)).expect(200, { version: 'v2', previousVersion: 'v1' });
      expect((await parseModelFile(readFileSync(modelPath, 'utf8'))).version).toBe('v2');
      // A refused model leaves the file alone.
      await request(shop.app).put('/churn/model').set({ authorization: `Bearer ${ADMIN_TOKEN}` }).send({ format: 'onnx' }).expect(400);
      expect((await parseModelFile(readFileSync(modelPath, 'utf8'))).version).toBe('v2');
    } finally {
      await shop.close();
    }
  });

  it('leaves the model serving on disk, whole, after concurrent swaps (each written under its own temporary name, one swap at a time)', async () => {
    const { shop, modelPath } = await savingStorefront();
    try {
      const files = await Promise.all(Array.from({ length: 6 }, (_, i) => testModelFile(`c${i}`, i / 10)));
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(files.map((file) => request(shop.app).put('/churn/model').set({ authorization: `Bearer ${ADMIN_TOKEN}` }).send(file)));
        expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
        const onDisk = await parseModelFile(readFileSync(modelPath, 'utf8'));
        expect(onDisk.version).toBe((await request(shop.app).get('/churn/model')).body.version);
        expect(readdirSync(dirname(modelPath)).filter((name) => name.includes('.tmp-'))).toEqual([]);
      }
    } finally {
      await shop.close();
    }
  });

  it('answers 503 and keeps the old model serving when the file cannot be written', async () => {
    const { shop, modelPath } = await savingStorefront();
    try {
      rmSync(dirname(modelPath), { recursive: true });
      const answer = await request(shop.app).put('/churn/model').set({ authorization: `Bearer ${ADMIN_TOKEN}` }).send(await testModelFile('v2', 1)).expect(503);
      expect(answer.body.error.code).toBe('MODEL_NOT_SAVED');
      expect(answer.body.error.message).toMatch(/^model v2 was not saved, so it does not serve; the old model keeps serving: .*its folder does not exist/);
      expect((await request(shop.app).get('/churn/model')).body.version).toBe('v1');
    } finally {
      await shop.close();
    }
  });

  it('needs the model to be a path', async () => {
    expect(() => churn({ model: {}, identify: () => null, saveSwappedModel: true })).toThrow(OptionsError);
    expect(() => churn({ model: {}, identify: () => null, saveSwappedModel: true })).toThrow(/"saveSwappedModel".*"model" must be a path/);
  });
});
