/**
 * Fuzzing every HTTP body (issue 11, "What to build" 1): score, batch, events, outcomes and the
 * model hot-swap, with hostile requests (hostile-json.ts: huge, deep, NaN-like strings,
 * prototype keys, wrong types, unicode, broken text, wrong content types), sent through
 * supertest to the Express router and as `Request`s to the fetch handler (where the route
 * exists there). Properties, for every case:
 * - the answer is one of the route's documented statuses, never a 500 or a crash, and every
 *   error is exactly the documented `{ error: { code, message, field? } }`, with no stack;
 * - an answer with scores holds probabilities only (JSON cannot carry NaN: a null or a
 *   missing probability would show it), and every score is `ok`;
 * - a fixed customer's score, asked before and after, is bit-identical, on the same model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothAdapters, type Adapter, type BothAdapters } from '../plugin/adapters.js';
import { REPO } from '../plugin/edge/example-project.js';
import { ADMIN_TOKEN, DAY, NOW } from '../plugin/plugin-app.js';
import { TEST_MODEL_FIT, testModelFile } from '../plugin/test-model.js';
import { fuzz, reportTallies } from './fuzz.js';
import { hostileRequest, type HostileRequest } from './hostile-json.js';

afterAll(reportTallies);

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const FIXED = { customerId: 'fixed-customer', record: { cart_items: 3, device: 'app' } };
const DECIDED = ['decided-0', 'decided-1', 'decided-2'];

let adapters: BothAdapters;
let modelFile: object;
const baseline = new Map<string, { probability: number; modelVersion: string }>();

beforeAll(async () => {
  modelFile = await testModelFile('test-v1');
  const kernel = new Uint8Array(readFileSync(join(REPO, 'build', 'churnkit.simd.wasm')));
  adapters = await bothAdapters(
    {
      model: modelFile,
      engine: { bytes: kernel },
      modelFit: TEST_MODEL_FIT,
      clock: () => NOW,
      bodyLimit: '64kb',
      batchLimit: 50,
      holdoutFraction: 0,
      policy: { actions: [{ name: 'coupon', cost: 1, successRate: 0.5 }] },
      storeTimeoutMs: 2_000,
    },
    { expressOnly: { adminToken: ADMIN_TOKEN, modelBodyLimit: '256kb' } },
  );
  for (const adapter of adapters.all) {
    const events = [...DECIDED, FIXED.customerId].map((customerId) => ({ customerId, type: 'order', value: 30, ts: NOW - 200 * DAY }));
    expect((await adapter.send({ method: 'POST', path: '/churn/events', body: { events } })).status).toBe(201);
    for (const customerId of DECIDED) {
      const decided = (await adapter.send({ method: 'POST', path: '/churn/score', body: { customerId } })).body as { action: { name: string } | null };
      expect(decided.action?.name).toBe('coupon');
    }
    baseline.set(adapter.name, await fixedScore(adapter));
  }
}, 60_000);

async function fixedScore(adapter: Adapter) {
  const answer = await adapter.send({ method: 'POST', path: '/churn/score', body: FIXED });
  const body = answer.body as { probability: number; modelVersion: string };
  return { probability: body.probability, modelVersion: body.modelVersion };
}

/** The documented error shape, exactly, with a message that is a sentence, not a stack. */
function checkError(body: unknown, status: number): void {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error === undefined || Object.keys(body as object).length !== 1) expect.fail(`status ${status} without the error shape: ${JSON.stringify(body)?.slice(0, 200)}`);
  const keys = Object.keys(error).sort();
  if (!(keys.join() === 'code,message' || keys.join() === 'code,field,message')) expect.fail(`error with keys ${keys.join()}`);
  if (typeof error.code !== 'string' || !/^[A-Z][A-Z_]+$/.test(error.code)) expect.fail(`error code ${String(error.code)}`);
  // Quoted values are cut (80 characters each): a message stays a sentence, whatever was sent.
  if (typeof error.message !== 'string' || error.message.length > 600 || /\n\s+at /.test(error.message)) expect.fail(`error message (${String(error.message).length} characters) ${String(error.message).slice(0, 200)}`);
  if ('field' in error && (typeof error.field !== 'string' || error.field.length > 100)) expect.fail(`error field ${String(error.field).slice(0, 200)}`);
}

function checkScore(result: unknown): void {
  const score = result as { status?: string; probability?: unknown };
  if (score.status !== 'ok') expect.fail(`a score that is not ok: ${JSON.stringify(result).slice(0, 300)}`);
  if (typeof score.probability !== 'number' || !(score.probability >= 0 && score.probability <= 1)) expect.fail(`probability ${String(score.probability)}`);
}

interface Target {
  name: string;
  method: 'POST' | 'PUT';
  path: string;
  template: () => unknown;
  statuses: number[];
  adapters: ('Express' | 'fetch')[];
  cases: number;
  /** Checks a success answer's body. */
  success?: (body: unknown) => void;
}

const targets: Target[] = [
  { name: 'POST /score', method: 'POST', path: '/churn/score', template: () => ({ customerId: 'c-1', record: { recency_days: 12, log_orders_total: 1.5, cart_items: 2, device: 'web' } }), statuses: [200, 400, 413, 415], adapters: ['Express', 'fetch'], cases: 300, success: checkScore },
  {
    name: 'POST /score/batch',
    method: 'POST',
    path: '/churn/score/batch',
    template: () => ({ items: [{ customerId: 'c-2', record: { recency_days: 40 } }, {}, { customerId: DECIDED[0] }] }),
    statuses: [200, 400, 413, 415],
    adapters: ['Express', 'fetch'],
    cases: 200,
    success: (body) => {
      const results = (body as { results?: unknown[] }).results;
      if (!Array.isArray(results) || results.length === 0) expect.fail('a batch answer without results');
      results.forEach(checkScore);
    },
  },
  {
    name: 'POST /events',
    method: 'POST',
    path: '/churn/events',
    template: () => ({ events: [{ customerId: 'c-3', type: 'order', ts: NOW - DAY, value: 40, quantity: 1, category: 'shoes', rating: 4, channel: 'web' }, { customerId: 'c-4', type: 'page_view', ts: '2026-11-20T10:00:00Z' }] }),
    statuses: [201, 400, 413, 415],
    adapters: ['Express', 'fetch'],
    cases: 300,
  },
  { name: 'POST /outcomes', method: 'POST', path: '/churn/outcomes', template: () => ({ customerId: DECIDED[1], retained: true, action: 'coupon', group: 'treatment', ts: NOW, value: 10 }), statuses: [201, 400, 409, 413, 415], adapters: ['Express'], cases: 300 },
  { name: 'PUT /model', method: 'PUT', path: '/churn/model', template: () => modelFile, statuses: [200, 400, 413, 415], adapters: ['Express'], cases: 200 },
];

describe.each(targets)('$name', (target) => {
  it.each(target.adapters)(`answers hostile bodies through %s with documented errors only, and the fixed customer's score never moves`, async (name) => {
    const adapter = adapters.all.find((candidate) => candidate.name === name)!;
    const statuses = new Map<number, number>();
    await fuzz(`HTTP ${target.name} (${name})`, target.cases, [fc.constant(null).chain(() => hostileRequest(target.template()))], async (sent: HostileRequest) => {
      const answer = await adapter.send({ method: target.method, path: target.path, body: sent.text, contentType: sent.contentType, headers: admin });
      if (!target.statuses.includes(answer.status)) expect.fail(`status ${answer.status} (${answer.text.slice(0, 300)})`);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.body === undefined) expect.fail(`a body that is not JSON: ${answer.text.slice(0, 200)}`);
      if (answer.status >= 400) checkError(answer.body, answer.status);
      else target.success?.(answer.body);
      // A hostile model file that still verifies would swap: put the reference back before comparing.
      if (target.path === '/churn/model' && answer.status === 200) {
        expect((await adapter.send({ method: 'PUT', path: '/churn/model', body: modelFile, headers: admin })).status).toBe(200);
      }
      const after = await fixedScore(adapter);
      if (!Object.is(after.probability, baseline.get(name)!.probability) || after.modelVersion !== baseline.get(name)!.modelVersion) {
        expect.fail(`the fixed customer scored ${after.probability} on ${after.modelVersion} after this case, ${baseline.get(name)!.probability} before`);
      }
    });
    // How deep the cases went: a success means a hostile body passed every check and was served.
    console.info(`fuzz: HTTP ${target.name} (${name}): statuses ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(', ')}`);
  }, 240_000);
});
