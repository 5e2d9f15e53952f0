/**
 * The shared store for several storefront instances: node-redis v5, one key per customer
 * state. The feature logic stays in JS (`fold-events.ts`); Lua scripts only do the
 * storage atomically: a compare-and-set of the customer's state together with its events,
 * and the budget check together with the decision.
 *
 * Durability follows the server's configuration: a write is acknowledged once Redis has
 * it in memory, so "survives a crash" needs `appendonly yes` + `appendfsync always`
 * on the server. Keys of one store share a prefix; on Redis Cluster give a hash-tagged
 * prefix such as `{churnkit}:` so the scripts' keys live in one slot.
 */
import { createHash } from 'node:crypto';
import type { ChurnEvent } from '../../src/events/types.js';
import type { CustomerState } from '../../src/features/online-state.js';
import { ChurnkitError, OptionsError } from '../../src/errors.js';
import { BUDGET_EPSILON, roundMoney } from './budget-check.js';
import { pairOutcomes, type AttributedOutcome } from './decision-outcomes.js';
import { eventsByCustomer, foldEvents } from './fold-events.js';
import { resolveOutcomeAttribution } from './outcome-attribution.js';
import { toPageCount } from './page-count.js';
import type { ChurnStore, CustomerSummary, Decision, Group, LoggedDecision, Outcome, ReportRow } from './types.js';
import { importPeer } from '../optional-peer.js';

// An optional peer dependency, imported only by users of this store (it costs ~0.7 s of start-up).
const { createClient } = await importPeer('redis', 'the Redis store (churnkit/stores/redis)', () => import('redis'));

/** The one client method the store needs, so any connected node-redis client (or pool) fits. */
export interface RedisCommandSender {
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/** How to reach Redis: a URL (the store owns and closes the connection) or a client the caller owns. */
export interface RedisStoreOptions {
  /** e.g. `redis://127.0.0.1:6379`; ignored when `client` is given. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** An already connected client; the store never closes it. */
  client?: RedisCommandSender;
  /** Prefix of every key. Default `churnkit:`. */
  keyPrefix?: string;
  /** Compare-and-set attempts per customer before giving up under contention. Default 50. */
  maxRetries?: number;
}

/** Sets a customer's state only if nobody changed it since it was read, and logs the events with it. */
const COMPARE_AND_SET_STATE = `
local current = redis.call('GET', KEYS[1])
if current == false then current = '' end
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], 0, ARGV[3])
for i = 4, #ARGV do
  redis.call('XADD', KEYS[3], '*', 'event', ARGV[i])
end
return 1
`;

/** Records a decision only if its cost fits the day's budget (ARGV[3] empty: no budget). */
const RECORD_DECISION_WITHIN_BUDGET = `
local spent = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local cost = tonumber(ARGV[2])
if cost > 0 and ARGV[3] ~= '' and spent + cost > tonumber(ARGV[3]) + tonumber(ARGV[4]) then return 0 end
redis.call('HINCRBYFLOAT', KEYS[1], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('HINCRBY', KEYS[3], 'count:' .. ARGV[6], 1)
redis.call('HINCRBYFLOAT', KEYS[3], 'cost:' .. ARGV[6], ARGV[2])
return 1
`;

/**
 * Connects to Redis and returns a store sharing state with every other instance that
 * uses the same server and key prefix.
 *
 * @example
 * const store = await openRedisStore({ url: process.env.REDIS_URL, keyPrefix: 'shop1:' });
 * await store.appendEvents([{ customerId: 'c1', ts: Date.now(), type: 'page_view' }]);
 * await store.close();
 */
export async function openRedisStore(options: RedisStoreOptions = {}): Promise<ChurnStore> {
  const keyPrefix = options.keyPrefix ?? 'churnkit:';
  if (typeof keyPrefix !== 'string') {
    throw new OptionsError('STORE_KEY_PREFIX', `store option "keyPrefix" must be a string, got ${typeof keyPrefix}`);
  }
  const maxRetries = options.maxRetries ?? 50;
  if (!Number.isInteger(maxRetries) || maxRetries < 1) {
    throw new OptionsError('STORE_MAX_RETRIES', `store option "maxRetries" must be a positive integer, got ${String(maxRetries)}`);
  }
  if (options.client) return new RedisStore(options.client, keyPrefix, maxRetries, async () => {});

  const url = options.url ?? 'redis://127.0.0.1:6379';
  let connected = false;
  const client = createClient({
    url,
    // The first connection fails fast (a wrong URL should stop the storefront at start-up);
    // once connected, a dropped connection is retried with backoff while the plugin fails open.
    socket: { reconnectStrategy: (retries, cause) => (connected ? Math.min(50 * 2 ** retries, 2_000) : cause) },
    // While disconnected, commands fail at once instead of queueing: the plugin fails open
    // on the error, and no backlog of stale writes builds up behind a dead server.
    disableOfflineQueue: true,
  });
  // Without a listener node-redis rethrows connection errors as uncaught exceptions;
  // commands still reject, which is where the plugin's fail-open handles them.
  client.on('error', () => {});
  try {
    await client.connect();
    connected = true;
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw new ChurnkitError('STORE_CONNECT', `could not connect to Redis at ${url}: ${(error as Error).message}`, { cause: error });
  }
  // close() flushes pending replies, which never come from a server that is gone.
  const disconnect = async () => {
    if (client.isReady) await client.close();
    else if (client.isOpen) client.destroy();
  };
  return new RedisStore(client, keyPrefix, maxRetries, disconnect);
}

class RedisStore implements ChurnStore {
  private readonly keys;

  constructor(
    private readonly redis: RedisCommandSender,
    prefix: string,
    private readonly maxRetries: number,
    private readonly disconnect: () => Promise<void>,
  ) {
    this.keys = {
      state: (customerId: string) => `${prefix}customer:${customerId}`,
      decisions: (customerId: string) => `${prefix}decisions:${customerId}`,
      customers: `${prefix}customers`,
      events: `${prefix}events`,
      budget: `${prefix}budget`,
      decisionSummary: `${prefix}decision-summary`,
      outcomes: `${prefix}outcomes`,
      latestOutcomes: `${prefix}latest-outcomes`,
    };
  }

  async appendEvents(events: readonly ChurnEvent[]): Promise<void> {
    const pending = [...eventsByCustomer(events)].map(([customerId, customerEvents]) =>
      this.appendCustomerEvents(customerId, customerEvents),
    );
    await Promise.all(pending);
  }

  async getCustomerState(customerId: string): Promise<CustomerState | null> {
    const json = await this.command(['GET', this.keys.state(customerId)]);
    return typeof json === 'string' ? (JSON.parse(json) as CustomerState) : null;
  }

  async listCustomers(limit: number, offset = 0): Promise<CustomerSummary[]> {
    const count = toPageCount(limit);
    if (count === 0) return [];
    const start = toPageCount(offset);
    // Every member has score 0, so ZRANGE returns them in byte order, as SQLite's ORDER BY does.
    const ids = (await this.command(['ZRANGE', this.keys.customers, String(start), String(start + count - 1)])) as string[];
    if (ids.length === 0) return [];
    const states = (await this.command(['MGET', ...ids.map((id) => this.keys.state(id))])) as (string | null)[];
    const summaries: CustomerSummary[] = [];
    ids.forEach((customerId, index) => {
      const json = states[index];
      if (typeof json === 'string') summaries.push({ customerId, state: JSON.parse(json) as CustomerState });
    });
    return summaries;
  }

  async countCustomers(): Promise<number> {
    return Number(await this.command(['ZCARD', this.keys.customers]));
  }

  async decisionsSince(customerId: string, sinceTs: number): Promise<Decision[]> {
    const decisions = await this.readDecisions(customerId);
    // A stable sort keeps insertion order among equal timestamps, like SQLite's ORDER BY ts, id.
    return decisions.filter((decision) => decision.ts >= sinceTs).sort((a, b) => a.ts - b.ts);
  }

  async recordDecision(decision: Decision, dailyBudget: number): Promise<boolean> {
    const summaryField = JSON.stringify([decision.action ?? 'none', decision.group]);
    const recorded = await this.script(
      RECORD_DECISION_WITHIN_BUDGET,
      [this.keys.budget, this.keys.decisions(decision.customerId), this.keys.decisionSummary],
      [
        decision.day,
        String(decision.cost),
        Number.isFinite(dailyBudget) ? String(dailyBudget) : '',
        String(BUDGET_EPSILON),
        JSON.stringify(decision),
        summaryField,
      ],
    );
    return Number(recorded) === 1;
  }

  async spent(day: string): Promise<number> {
    const value = await this.command(['HGET', this.keys.budget, day]);
    // HINCRBYFLOAT sums in long double: rounded on the way out, like every stored sum.
    return typeof value === 'string' ? roundMoney(Number(value)) : 0;
  }

  async recordOutcome(outcome: Outcome): Promise<void> {
    const decisions = await this.readDecisions(outcome.customerId);
    const { action, group } = resolveOutcomeAttribution(outcome, latestDecision(decisions));
    const stored = { ...outcome, action, group };
    await this.command(['RPUSH', this.keys.outcomes, JSON.stringify(stored)]);
    // A customer counts once per (action, group): the latest outcome overwrites the field.
    if (group !== null) {
      const field = JSON.stringify([action, group, outcome.customerId]);
      await this.command(['HSET', this.keys.latestOutcomes, field, outcome.retained ? '1' : '0']);
    }
  }

  async outcomeReport(): Promise<ReportRow[]> {
    const flat = (await this.command(['HGETALL', this.keys.latestOutcomes])) as string[];
    const rows = new Map<string, ReportRow>();
    for (let i = 0; i < flat.length; i += 2) {
      const [action, group] = JSON.parse(flat[i]!) as [string, Group, string];
      const key = JSON.stringify([action, group]);
      const row = rows.get(key) ?? { action, group, customers: 0, retained: 0 };
      row.customers += 1;
      row.retained += flat[i + 1] === '1' ? 1 : 0;
      rows.set(key, row);
    }
    return [...rows.values()].sort(byActionThenGroup);
  }

  async decisionSummary(): Promise<{ action: string; group: Group; count: number; cost: number }[]> {
    const flat = (await this.command(['HGETALL', this.keys.decisionSummary])) as string[];
    const rows = new Map<string, { action: string; group: Group; count: number; cost: number }>();
    for (let i = 0; i < flat.length; i += 2) {
      const field = flat[i]!;
      const separator = field.indexOf(':');
      const measure = field.slice(0, separator);
      const key = field.slice(separator + 1);
      const [action, group] = JSON.parse(key) as [string, Group];
      const row = rows.get(key) ?? { action, group, count: 0, cost: 0 };
      if (measure === 'count') row.count = Number(flat[i + 1]);
      else row.cost = roundMoney(Number(flat[i + 1]));
      rows.set(key, row);
    }
    return [...rows.values()].sort(byActionThenGroup);
  }

  async *decisionLog(): AsyncIterable<LoggedDecision> {
    const outcomes = new Map<string, AttributedOutcome[]>();
    for (const json of (await this.command(['LRANGE', this.keys.outcomes, '0', '-1'])) as string[]) {
      const stored = JSON.parse(json) as Outcome & { action: string; group: Group | null };
      const list = outcomes.get(stored.customerId) ?? [];
      list.push({ ts: stored.ts, retained: stored.retained, action: stored.action, group: stored.group });
      outcomes.set(stored.customerId, list);
    }
    // Decisions live in one list per customer: find the lists with SCAN (an offline read).
    const keyStart = this.keys.decisions('');
    const customers: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = (await this.command(['SCAN', cursor, 'MATCH', `${globEscape(keyStart)}*`, 'COUNT', '1000'])) as [string, string[]];
      for (const key of keys) customers.push(key.slice(keyStart.length));
      cursor = next;
    } while (cursor !== '0');
    customers.sort();
    for (const customerId of new Set(customers)) {
      const decisions = await this.decisionsSince(customerId, -Infinity);
      yield* pairOutcomes(decisions, outcomes.get(customerId) ?? []);
    }
  }

  async close(): Promise<void> {
    await this.disconnect();
  }

  /** Read, fold in JS, compare-and-set; a concurrent writer on the same customer makes us re-read and retry. */
  private async appendCustomerEvents(customerId: string, events: readonly ChurnEvent[]): Promise<void> {
    const stateKey = this.keys.state(customerId);
    const eventJsons = events.map((event) => JSON.stringify(event));
    for (let attempt = 0; attempt < this.maxRetries; attempt++) {
      const currentJson = await this.command(['GET', stateKey]);
      const current = typeof currentJson === 'string' ? (JSON.parse(currentJson) as CustomerState) : null;
      const next = foldEvents(current, events);
      const swapped = await this.script(
        COMPARE_AND_SET_STATE,
        [stateKey, this.keys.customers, this.keys.events],
        [typeof currentJson === 'string' ? currentJson : '', JSON.stringify(next), customerId, ...eventJsons],
      );
      if (Number(swapped) === 1) return;
    }
    throw new ChurnkitError(
      'STORE_CONTENTION',
      `customer "${customerId}": state changed under us ${this.maxRetries} times in a row; events not stored`,
    );
  }

  private async readDecisions(customerId: string): Promise<Decision[]> {
    const jsons = (await this.command(['LRANGE', this.keys.decisions(customerId), '0', '-1'])) as string[];
    return jsons.map((json) => JSON.parse(json) as Decision);
  }

  private command(args: readonly string[]): Promise<unknown> {
    return this.redis.sendCommand(args);
  }

  /** EVALSHA first (the script body is sent once per server), EVAL when the server has not seen it. */
  private async script(body: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.command(['EVALSHA', sha1(body), ...tail]);
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return this.command(['EVAL', body, ...tail]);
    }
  }
}

const sha1Cache = new Map<string, string>();
function sha1(text: string): string {
  let digest = sha1Cache.get(text);
  if (!digest) {
    digest = createHash('sha1').update(text).digest('hex');
    sha1Cache.set(text, digest);
  }
  return digest;
}

/** The decision with the latest timestamp; among equal timestamps, the last recorded. */
function latestDecision(decisions: readonly Decision[]): Decision | null {
  let latest: Decision | null = null;
  for (const decision of decisions) if (!latest || decision.ts >= latest.ts) latest = decision;
  return latest;
}

/** A literal string as a Redis glob pattern. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

function byActionThenGroup(a: { action: string; group: Group }, b: { action: string; group: Group }): number {
  if (a.action !== b.action) return a.action < b.action ? -1 : 1;
  return a.group < b.group ? -1 : a.group > b.group ? 1 : 0;
}
