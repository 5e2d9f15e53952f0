import { createClient, RESP_TYPES } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChurnEvent } from '../../../src/events/types.js';
import type { CustomerState } from '../../../src/features/online-state.js';
import { decodeCustomerState } from '../../../src/features/state-codec.js';
import { expectConsistent, killTestWorkspace, report, round, ROUNDS, seededRandom, TEST_TIMEOUT_MS, type Tally } from './kill-rounds.js';
import { hasRedisServer, startRedisServer, type RunningRedis } from './redis-server.js';

// What the rounds do and check: kill-rounds.ts.
killTestWorkspace();

const redisAvailable = hasRedisServer();
if (!redisAvailable) console.warn('Redis kill -9 test skipped: redis-server is not on PATH (CI installs it with apt).');

describe.skipIf(!redisAvailable)('the plugin with a Redis store (appendfsync always) under kill -9', () => {
  let redis: RunningRedis;
  afterAll(async () => {
    await redis?.stop();
  });

  it(`keeps every acknowledged event exactly once and states equal to a replay of the log, over ${ROUNDS} kills (Redis killed too every other round)`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const started = performance.now();
    redis = await startRedisServer({ durable: true });
    const random = seededRandom(13);
    const tally: Tally = { rounds: 0, acknowledged: new Map(), unanswered: [] };
    let events = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const killServerToo = r % 2 === 1;
      await round('redis', redis.url, tally, random, killServerToo ? () => redis.kill() : undefined);
      if (killServerToo) redis = await startRedisServer({ durable: true, dir: redis.dir, port: redis.port });
      const client = createClient({ url: redis.url });
      await client.connect();
      try {
        const binary = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
        const log = new Map<string, ChurnEvent[]>();
        const states = new Map<string, CustomerState>();
        for (const customerId of await client.zRange('kill9:customers', 0, -1)) {
          const entries = await client.xRange(`kill9:events:${customerId}`, '-', '+');
          log.set(customerId, entries.map((entry) => JSON.parse(entry.message.event!) as ChurnEvent));
          states.set(customerId, decodeCustomerState((await binary.get(`kill9:customer:${customerId}`)) as Buffer));
        }
        events = expectConsistent({ log, states }, tally).events;
      } finally {
        await client.close();
      }
    }
    expect(tally.acknowledged.size).toBeGreaterThan(ROUNDS);
    report('Redis', tally, events, 'every key parsed and every state a replay of its log after every round', started);
  });
});
