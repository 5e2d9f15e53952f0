/**
 * README's example answer holds at any hour of the day: its curl steps date the two orders with
 * the README's own `ago` (run here by bash, with `date` answering the moment under test), and
 * the plugin, configured as README's server.mjs, scores the customer at that moment. The
 * events used to be dated "now minus N days", and the model reads the hour a customer usually
 * comes: at 5 hours of 24 the reasons came in another order or another one came third.
 * (test/package/readme-example.test.ts runs the README itself, at the hour the suite runs.)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { churn } from '../../plugin/express/index.js';
import { memoryStore } from '../../plugin/store/memory-store.js';
import { REPO } from './installed-package.js';

const HOUR_MS = 3_600_000;
/** What README's `storefrontModel()` gives: the shipped model file, parsed. */
const storefrontModel = () => JSON.parse(readFileSync(join(REPO, 'models', 'storefront.json'), 'utf8')) as object;

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const steps = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map(([, body]) => body!).find((body) => /^curl /m.test(body))!;
const agoDefinition = steps.split('\n').find((line) => line.startsWith('ago()'))!;
const shownAnswer = JSON.parse(steps.split('\n').filter((line) => line.startsWith('# {')).at(-1)!.slice(2)) as unknown;
const orderDays = [...steps.matchAll(/\$\(ago (\d+)\)/g)].map(([, days]) => Number(days));

/** README's `ago N` at `nowMs`, evaluated by bash with `date +%s` answering that moment. */
function readmeAgo(days: number, nowMs: number): number {
  const script = `date() { echo ${Math.floor(nowMs / 1000)}; }\n${agoDefinition}\nago ${days}`;
  const run = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bash: ${run.stderr}`);
  return Number(run.stdout.trim());
}

describe("README's example answer", () => {
  it('is the one README shows at every hour of the day', async () => {
    expect(orderDays).toEqual([200, 95]);
    const answers = new Map<string, number[]>();
    for (let hour = 0; hour < 24; hour++) {
      const now = Date.UTC(2026, 11, 3) + hour * HOUR_MS + 17 * 60_000;
      const store = memoryStore();
      // As README's server.mjs configures it.
      const plugin = churn({ model: storefrontModel(), store, identify: () => null, clock: () => now, policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.3 }] } });
      await plugin.ready();
      await store.appendEvents([
        { customerId: 'c-42', type: 'order', value: 120, ts: readmeAgo(200, now) },
        { customerId: 'c-42', type: 'order', value: 80, ts: readmeAgo(95, now) },
      ]);
      const churnScore = await plugin.assess('c-42');
      await plugin.close();
      if (churnScore.status !== 'ok') throw new Error(`unavailable at ${hour}h: ${churnScore.reason}`);
      const answer = JSON.stringify({ offer: churnScore.action?.name ?? null, risk: churnScore.band, why: churnScore.reasons.map((reason) => reason.text) });
      answers.set(answer, [...(answers.get(answer) ?? []), hour]);
    }
    expect([...answers.keys()].map((answer) => JSON.parse(answer))).toEqual([shownAnswer]);
  }, 120_000);
});
