/**
 * The shared store for several storefront instances: node-redis v5, one key per customer
 * state (the binary record of `state-codec.ts`). The feature logic stays in JS
 * (`fold-events.ts`); Lua scripts only do the storage atomically.
 *
 * Appends: the batches appended in one turn of the event loop are committed together, one
 * group at a time per store object (so a process never races itself on a hot customer):
 * the group's customers are read in one round trip (state, and which of the events' ids
 * they already have), folded in JS, and written by one script that first checks that no
 * customer changed since it was read (a SHA-1 of each state) and has none of the new ids,
 * and then writes all of them, or nothing. A customer whose state this store wrote
 * lately is folded from the state it remembers (`remembered-states.ts`), not read: a group
 * of such customers takes one round trip. When another instance wrote one of them in
 * between (or an id was already stored), the group is read and folded again, after a short
 * random pause if what changed had been read. A batch is therefore all-or-nothing, and an
 * event id already stored for its customer is skipped, so a retry never counts twice.
 *
 * Durability follows the server's configuration: a write is acknowledged once Redis has
 * it in memory, so "survives a crash" needs `appendonly yes` + `appendfsync always`
 * on the server. Keys of one store share a prefix; on Redis Cluster give a hash-tagged
 * prefix such as `{churnkit}:` so the scripts' keys live in one slot.
 */
import { createHash } from 'node:crypto';
import type { ChurnEvent } from '../../src/events/types.js';
import { decodeCustomerState, encodeCustomerStateTransient, storedFeaturesAt } from '../../src/features/state-codec.js';
import { customerSummary } from './customer-summary.js';
import type { CustomerState } from '../../src/features/online-state.js';
import { ChurnkitError, OptionsError } from '../../src/errors.js';
import { BUDGET_EPSILON, decisionCostRefusal, roundMoney } from './budget-check.js';
import { customerKeyer, type CustomerKeyer } from './customer-keys.js';
import { pairOutcomes, type AttributedOutcome } from './decision-outcomes.js';
import { eventsByCustomer, foldEvents, unseenEvents } from './fold-events.js';
import { resolveOutcomeAttribution } from './outcome-attribution.js';
import { toPageCount } from './page-count.js';
import { isCustomerDataError, keyTypeError, typedCommandError } from './redis-errors.js';
import { eventIdMember } from './redis-event-ids.js';
import { eventTimeRefusal } from './event-time-check.js';
import { RememberedStates } from './remembered-states.js';
import { isRepeatRefusal, repeatWindowStart } from './repeat-check.js';
import type {
  ChallengerScore,
  ChurnStore,
  CustomerSummary,
  CustomerView,
  Decision,
  DecisionSummaryRow,
  ErasureReport,
  Group,
  LoggedChallengerScore,
  LoggedDecision,
  Outcome,
  RepeatLimits,
  RepeatRefusal,
  ReportRow,
} from './types.js';
import { importPeer } from '../optional-peer.js';
import { byActionThenGroup } from './report-order.js';

// An optional peer dependency, imported only by users of this store (it costs ~0.7 s of start-up).
const { createClient, RESP_TYPES } = await importPeer('redis', 'the Redis store (churnkit/stores/redis)', () => import('redis'));

/**
 * Commands sent and not yet answered, at most, on the connection the store opens. A paused
 * or wedged server keeps the connection up while answering nothing, so nothing else stops
 * them (about 1.7 KB each, measured: ten minutes of a pause at 200 pages/s would hold 400 MB);
 * past it calls fail at once (`STORE_BUSY`) and the page fails open without waiting for its
 * budget. A group commit of 5,000 customers sends 10,000 reads at once.
 */
export const MAX_PENDING_COMMANDS = 20_000;

/**
 * Events of appends not yet answered, at most, as the SQLite store's writer queue: while a
 * group commit waits for a server that does not answer, the appends behind it wait in
 * memory, and a client that timed out and posted again adds its events once more. Past it
 * appends are refused at once (`STORE_BUSY`), storing nothing.
 */
export const MAX_WAITING_EVENTS = 200_000;

/**
 * The most bytes of a customer's state read: twice the largest record the codec writes (64
 * categories of up to 64 KiB, 365 day buckets: about 4.2 MB). A key holding more (written by
 * something else: Redis takes strings up to 512 MB) is that customer's STATE_FORMAT error,
 * not a transfer and parse of all of it on every page of theirs.
 */
const MAX_STATE_BYTES = 8 * 1024 * 1024;

/** How long the first connection may wait for the server's answer to its handshake. */
const FIRST_ANSWER_MS = 5_000;

/** Customers' latest outcomes per HSCAN page of the lift report (a few ms of parsing each). */
const REPORT_PAGE_FIELDS = 1000;

/** Stream entries per XRANGE when a log is read whole. */
const STREAM_CHUNK = 1000;

/** A customer's decisions read per LRANGE from the newest back, on the request path. */
const RECENT_DECISIONS_CHUNK = 16;

/**
 * How far out of time order a customer's decisions may have been pushed: each instance
 * stamps a decision with its own clock, and they are pushed as recorded. A read from the
 * newest back stops once it has seen a decision older than its window by this much.
 */
const DECISION_CLOCK_SKEW_MS = 60 * 60 * 1000;

/** Replies as node-redis gives them with `typeMapping`: bulk strings as Buffers. */
const AS_BUFFERS = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };

/**
 * The one client method the store needs, so any connected node-redis client (or pool) fits.
 * It must honour node-redis's `typeMapping` option: states are binary and are read as Buffers.
 */
export interface RedisCommandSender {
  sendCommand(args: ReadonlyArray<string | Buffer>, options?: typeof AS_BUFFERS): Promise<unknown>;
}

/** How to reach Redis: a URL (the store owns and closes the connection) or a client the caller owns. */
export interface RedisStoreOptions {
  /** e.g. `redis://127.0.0.1:6379`; ignored when `client` is given. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** An already connected client; the store never closes it. */
  client?: RedisCommandSender;
  /** Prefix of every key. Default `churnkit:`. */
  keyPrefix?: string;
  /** Attempts of a group of appends while other instances keep changing its customers. Default 50. */
  maxRetries?: number;
  /**
   * A secret (at least 16 bytes): customer ids are then stored as keyed hashes
   * (HMAC-SHA256), in key names and values alike. Every instance needs the same secret.
   */
  customerIdKey?: string | Uint8Array;
}

/**
 * Writes a group of customers' states with their events, all or none. KEYS[1] is the set of
 * customers; then three keys per customer: state, event log, event ids. ARGV per customer:
 * their key (for the set), the SHA-1 of the state it was folded from ('' if none), the new
 * state, the event count and the events, the id count and the ids. Returns 0 when every
 * customer was written, else the 1-based number of the first that changed or already has one
 * of the ids (nothing written): a state folded from a remembered state, not read, never saw
 * which ids the customer has. Minus that number when one of the customer's keys holds another
 * type than the store keeps there (nothing written): Redis does not undo a script's writes
 * when a later command of it fails, so every key is checked before the first write.
 */
const WRITE_GROUP_IF_UNCHANGED = `
local function holds(key, kind)
  local found = redis.call('TYPE', key)['ok']
  return found == kind or found == 'none'
end
-- Fails (WRONGTYPE) before any write when the shared customer set is not a sorted set.
redis.call('ZCARD', KEYS[1])
local customers = (#KEYS - 1) / 3
local at = 1
for c = 1, customers do
  if not (holds(KEYS[3 * c - 1], 'string') and holds(KEYS[3 * c], 'stream') and holds(KEYS[3 * c + 1], 'set')) then return -c end
  local current = redis.call('GET', KEYS[3 * c - 1])
  -- An empty value is no state, as the store's reads take it.
  if (current and current ~= '' and redis.sha1hex(current) or '') ~= ARGV[at + 1] then return c end
  local events = tonumber(ARGV[at + 3])
  local ids = tonumber(ARGV[at + 4 + events])
  for i = 1, ids do
    if redis.call('SISMEMBER', KEYS[3 * c + 1], ARGV[at + 4 + events + i]) == 1 then return c end
  end
  at = at + 5 + events + ids
end
at = 1
for c = 1, customers do
  redis.call('SET', KEYS[3 * c - 1], ARGV[at + 2])
  redis.call('ZADD', KEYS[1], 0, ARGV[at])
  local events = tonumber(ARGV[at + 3])
  for i = 1, events do redis.call('XADD', KEYS[3 * c], '*', 'event', ARGV[at + 3 + i]) end
  local ids = tonumber(ARGV[at + 4 + events])
  for i = 1, ids do redis.call('SADD', KEYS[3 * c + 1], ARGV[at + 4 + events + i]) end
  at = at + 5 + events + ids
end
return 0
`;

/**
 * Records a decision only if no decision already logged for the customer reaches the
 * action's cooldown or cap, and its cost fits the day's budget (ARGV[3] empty: no budget).
 * Returns 1 when recorded, 0 over budget, 'cooldown' or 'cap' when ruled out, -1 for an entry
 * of the decision list that is not a JSON object. The decision list and the summary are
 * touched first (WRONGTYPE fails there): Redis does not undo a script's writes when a later
 * command of it fails, and a budget charged for a decision that was not logged would stay spent.
 *
 * The limits (ARGV[7] the action, empty: none; then the cooldown's exclusive start, the cap
 * window's start, the cap, empty: none, and where to stop) are checked as
 * `repeat-check.ts` does, over the decision list from the newest back, 16 at a time: it
 * stops at the first decision older than the earliest window by more than the clock skew
 * allowed between instances (they are pushed as recorded, each stamped by its own
 * instance's clock), as the store's reads of the window do. So the check costs what reading
 * the window costs, however long the list.
 */
const RECORD_DECISION_WITHIN_LIMITS = `
local length = redis.call('LLEN', KEYS[2])
redis.call('HLEN', KEYS[3])
if ARGV[7] ~= '' then
  local action, cooldown_after, cap_since, stop_before = ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[11])
  local cap = ARGV[10] == '' and math.huge or tonumber(ARGV[10])
  local issued, last = 0, length - 1
  while last >= 0 do
    local first = math.max(0, last - 15)
    local entries = redis.call('LRANGE', KEYS[2], first, last)
    last = first - 1
    for i = #entries, 1, -1 do
      local parsed, decision = pcall(cjson.decode, entries[i])
      if not parsed or type(decision) ~= 'table' then return -1 end
      local ts = decision['ts']
      if type(ts) == 'number' then
        if ts < stop_before then
          last = -1
          break
        end
        if decision['action'] == action then
          if ts > cooldown_after then return 'cooldown' end
          if ts >= cap_since then issued = issued + 1 end
        end
      end
    end
  end
  if issued >= cap then return 'cap' end
end
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
 * The newest ARGV[1] entries of a customer's decision list, with the list's length at that
 * moment: the entries before them are then read by position, which later pushes do not move.
 */
const READ_NEWEST_DECISIONS = `
local length = redis.call('LLEN', KEYS[1])
return { length, redis.call('LRANGE', KEYS[1], math.max(0, length - tonumber(ARGV[1])), -1) }
`;

/**
 * Erases one customer's keys and their place in the customer set, atomically. KEYS: state,
 * event log, event ids, decisions, outcomes, customer set, challenger scores, decision summary;
 * ARGV[1]: the customer's key. Returns { had state, events, decisions, outcomes }. A key of
 * another type than the store keeps there is erased too, counted as empty: it is under the
 * customer's name, and an erasure must not fail on it.
 *
 * Their decisions leave the decision summary as they leave the log (the other stores sum the
 * log itself): each is taken off its field, named as `recordDecision` names it (the JSON text
 * of [action or "none", group], which `json_text` writes as JSON.stringify does), and a field
 * left with no decision goes, as a row with none is not in any store's summary.
 */
const ERASE_CUSTOMER = String.raw`
local function length(key, kind, command)
  if redis.call('TYPE', key)['ok'] ~= kind then return 0 end
  return redis.call(command, key)
end
local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function json_text(text)
  local escaped = string.gsub(text, '[%z\1-\31"\\]', function(c) return escapes[c] or string.format('\\u%04x', string.byte(c)) end)
  return '"' .. escaped .. '"'
end
local counts = { redis.call('EXISTS', KEYS[1]), length(KEYS[2], 'stream', 'XLEN'), length(KEYS[4], 'list', 'LLEN'), length(KEYS[5], 'list', 'LLEN') }
if counts[3] > 0 and redis.call('TYPE', KEYS[8])['ok'] == 'hash' then
  for _, entry in ipairs(redis.call('LRANGE', KEYS[4], 0, -1)) do
    local parsed, decision = pcall(cjson.decode, entry)
    if parsed and type(decision) == 'table' and type(decision['group']) == 'string' then
      local action = type(decision['action']) == 'string' and decision['action'] or 'none'
      local field = '[' .. json_text(action) .. ',' .. json_text(decision['group']) .. ']'
      if redis.call('HINCRBY', KEYS[8], 'count:' .. field, -1) <= 0 then
        redis.call('HDEL', KEYS[8], 'count:' .. field, 'cost:' .. field)
      else
        redis.call('HINCRBYFLOAT', KEYS[8], 'cost:' .. field, string.format('%.17g', -(tonumber(decision['cost']) or 0)))
      end
    end
  end
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[7])
redis.call('ZREM', KEYS[6], ARGV[1])
return counts
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
  const keyOf = customerKeyer(options.customerIdKey);
  if (options.client) return new RedisStore(options.client, keyPrefix, maxRetries, keyOf, async () => {});

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
    commandsQueueMaxLength: MAX_PENDING_COMMANDS,
  });
  // Without a listener node-redis rethrows connection errors as uncaught exceptions;
  // commands still reject, which is where the plugin's fail-open handles them.
  client.on('error', () => {});
  const connecting = client.connect();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // node-redis's connectTimeout covers the TCP connection only: a wedged server (paused,
  // swapped out) accepts it and never answers the handshake, and the connect never settles.
  const unanswered = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the server accepted the connection but did not answer within ${FIRST_ANSWER_MS} ms`)), FIRST_ANSWER_MS);
  });
  try {
    await Promise.race([connecting, unanswered]);
    connected = true;
  } catch (error) {
    connecting.catch(() => undefined);
    if (client.isOpen) client.destroy();
    throw new ChurnkitError('STORE_CONNECT', `could not connect to Redis at ${withoutPassword(url)}: ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  // close() flushes pending replies, which never come from a server that is gone.
  const disconnect = async () => {
    if (client.isReady) await client.close();
    else if (client.isOpen) client.destroy();
  };
  return new RedisStore(client, keyPrefix, maxRetries, keyOf, disconnect);
}

interface PendingAppend {
  events: readonly ChurnEvent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** One customer of a group of appends: what was read, and what the group's batches make of it. */
interface GroupCustomer {
  customerId: string;
  key: string;
  /** SHA-1 (hex) of the stored state the fold started from; '' when there was none. */
  readDigest: string;
  /** The state so far, as stored bytes (null: none yet). */
  bytes: Buffer | null;
  /** Ids the customer already has or that this group adds. */
  ids: Set<string>;
  /** Events this group logs for the customer, as stored JSON, and the ids to remember. */
  loggedEvents: string[];
  newIds: string[];
  /** Folded from the state this store remembered, not from one read for this group. */
  remembered: boolean;
  /** Why the customer could not be read (a key of another type, a state larger than any): their batches are refused. */
  unreadable?: ChurnkitError;
}

class RedisStore implements ChurnStore {
  private readonly keys;
  private waitingAppends: PendingAppend[] = [];
  /** Events of the appends not yet answered (waiting, or in the group being committed). */
  private unansweredEvents = 0;
  /** The lift report's outcomes being read, shared by the reports asked for meanwhile. */
  private outcomesRead: Promise<ReportRow[]> | undefined;
  /** The group commits under way (one group at a time), until nothing waits. */
  private committing: Promise<void> | undefined;
  /** The states this store last wrote for its appends, by customer key. */
  private readonly remembered = new RememberedStates();

  constructor(
    private readonly redis: RedisCommandSender,
    private readonly prefix: string,
    private readonly maxRetries: number,
    private readonly keyOf: CustomerKeyer,
    private readonly disconnect: () => Promise<void>,
  ) {
    this.keys = {
      state: (key: string) => `${prefix}customer:${key}`,
      events: (key: string) => `${prefix}events:${key}`,
      eventIds: (key: string) => `${prefix}event-ids:${key}`,
      decisions: (key: string) => `${prefix}decisions:${key}`,
      outcomes: (key: string) => `${prefix}outcomes:${key}`,
      challengerScores: (key: string) => `${prefix}challenger-scores:${key}`,
      customers: `${prefix}customers`,
      budget: `${prefix}budget`,
      decisionSummary: `${prefix}decision-summary`,
      latestOutcomes: `${prefix}latest-outcomes`,
      /** Where stores before per-customer logs kept every customer's events and outcomes. */
      legacyEvents: `${prefix}events`,
      legacyOutcomes: `${prefix}outcomes`,
    };
  }

  /** Joins the next group commit (see the file comment); resolves once the group is written. */
  appendEvents(events: readonly ChurnEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const refused = eventTimeRefusal(events);
    if (refused !== null) return Promise.reject(refused);
    if (this.unansweredEvents + events.length > MAX_WAITING_EVENTS) {
      return Promise.reject(
        new ChurnkitError('STORE_BUSY', `${this.unansweredEvents} events already wait for Redis to answer (at most ${MAX_WAITING_EVENTS}); events not stored`),
      );
    }
    this.unansweredEvents += events.length;
    const answered = new Promise<void>((resolve, reject) => {
      this.waitingAppends.push({ events, resolve, reject });
      if (this.committing === undefined && this.waitingAppends.length === 1) setImmediate(() => this.commitWaitingAppends());
    });
    const release = () => {
      this.unansweredEvents -= events.length;
    };
    answered.then(release, release);
    return answered;
  }

  async getCustomerState(customerId: string): Promise<CustomerState | null> {
    const bytes = await this.readState(this.keyOf(customerId));
    return bytes === null ? null : decodeCustomerState(bytes);
  }

  /** State and recent decisions in one round trip (most customers): both commands leave in the same write. */
  async readCustomerView(customerId: string, asOfMs: number, decisionsSinceTs: number): Promise<CustomerView> {
    const key = this.keyOf(customerId);
    const [bytes, decisions] = await Promise.all([
      this.readState(key),
      decisionsSinceTs === Infinity ? [] : this.readDecisionsSince(customerId, key, decisionsSinceTs),
    ]);
    return {
      features: bytes === null ? null : storedFeaturesAt(bytes, asOfMs),
      decisions,
    };
  }

  /** With keyed ids, listed customers are their keys (pseudonyms): nothing stored names them. */
  async listCustomers(limit: number, offset = 0): Promise<CustomerSummary[]> {
    const count = toPageCount(limit);
    if (count === 0) return [];
    const start = toPageCount(offset);
    // Every member has score 0, so ZRANGE returns them in byte order, as SQLite's ORDER BY does.
    const keys = (await this.command(['ZRANGE', this.keys.customers, String(start), String(start + count - 1)])) as string[];
    if (keys.length === 0) return [];
    const states = (await this.command(['MGET', ...keys.map((key) => this.keys.state(key))], AS_BUFFERS)) as (Buffer | null)[];
    const summaries: CustomerSummary[] = [];
    keys.forEach((customerId, index) => {
      const bytes = states[index];
      if (bytes instanceof Buffer) summaries.push(customerSummary(customerId, bytes));
    });
    return summaries;
  }

  async countCustomers(): Promise<number> {
    return Number(await this.command(['ZCARD', this.keys.customers]));
  }

  async decisionsSince(customerId: string, sinceTs: number): Promise<Decision[]> {
    return this.readDecisionsSince(customerId, this.keyOf(customerId), sinceTs);
  }

  async recordDecision(decision: Decision, dailyBudget: number, limits?: RepeatLimits): Promise<boolean | RepeatRefusal> {
    const refused = decisionCostRefusal(decision.cost);
    if (refused !== null) throw refused;
    const key = this.keyOf(decision.customerId);
    const summaryField = JSON.stringify([decision.action ?? 'none', decision.group]);
    const answer = await this.script(
      RECORD_DECISION_WITHIN_LIMITS,
      [this.keys.budget, this.keys.decisions(key), this.keys.decisionSummary],
      [
        decision.day,
        String(decision.cost),
        Number.isFinite(dailyBudget) ? String(dailyBudget) : '',
        String(BUDGET_EPSILON),
        JSON.stringify(key === decision.customerId ? decision : { ...decision, customerId: key }),
        summaryField,
        ...limitArguments(decision.action, limits),
      ],
    );
    if (isRepeatRefusal(answer)) return answer;
    if (Number(answer) === -1) throw decisionFormatError();
    return Number(answer) === 1;
  }

  async spent(day: string): Promise<number> {
    const value = await this.command(['HGET', this.keys.budget, day]);
    // HINCRBYFLOAT sums in long double: rounded on the way out, like every stored sum.
    return typeof value === 'string' ? roundMoney(Number(value)) : 0;
  }

  async recordOutcome(outcome: Outcome): Promise<void> {
    const key = this.keyOf(outcome.customerId);
    const decisions = await this.readDecisions(outcome.customerId, key);
    const { action, group } = resolveOutcomeAttribution(outcome, latestDecision(decisions));
    const stored = { ...outcome, customerId: key, action, group };
    await this.command(['RPUSH', this.keys.outcomes(key), JSON.stringify(stored)]);
    // A customer counts once per (action, group): the latest outcome overwrites the field.
    if (group !== null) {
      const field = JSON.stringify([action, group, key]);
      await this.command(['HSET', this.keys.latestOutcomes, field, outcome.retained ? '1' : '0']);
    }
  }

  /** Reports asked for while one is being read share it (see `readOutcomeReport`). */
  outcomeReport(): Promise<ReportRow[]> {
    return (this.outcomesRead ??= this.readOutcomeReport().finally(() => (this.outcomesRead = undefined)));
  }

  /**
   * The latest-outcomes hash, a page at a time (HSCAN): one HGETALL of half a million customers
   * held Redis for the whole reply and this process's main thread 400 ms while it parsed it.
   * HSCAN may give a field twice (while Redis rehashes the hash), so each is counted once.
   */
  private async readOutcomeReport(): Promise<ReportRow[]> {
    const rows = new Map<string, ReportRow>();
    const counted = new Set<string>();
    let cursor = '0';
    do {
      const [next, flat] = (await this.command(['HSCAN', this.keys.latestOutcomes, cursor, 'COUNT', String(REPORT_PAGE_FIELDS)])) as [string, string[]];
      for (let i = 0; i < flat.length; i += 2) {
        const field = flat[i]!;
        if (counted.has(field)) continue;
        counted.add(field);
        const [action, group] = JSON.parse(field) as [string, Group, string];
        const key = JSON.stringify([action, group]);
        const row = rows.get(key) ?? { action, group, customers: 0, retained: 0 };
        row.customers += 1;
        row.retained += flat[i + 1] === '1' ? 1 : 0;
        rows.set(key, row);
      }
      cursor = next;
    } while (cursor !== '0');
    return [...rows.values()].sort(byActionThenGroup);
  }

  async decisionSummary(): Promise<DecisionSummaryRow[]> {
    const flat = (await this.command(['HGETALL', this.keys.decisionSummary])) as string[];
    const rows = new Map<string, DecisionSummaryRow>();
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

  /**
   * Every decision with its outcome, customer by customer (an offline read: it SCANs the
   * per-customer decision lists). With keyed ids, customers are named by their keys.
   */
  async *decisionLog(): AsyncIterable<LoggedDecision> {
    const legacyOutcomes = new Map<string, AttributedOutcome[]>();
    if ((await this.command(['TYPE', this.keys.legacyOutcomes])) === 'list') {
      for (const json of (await this.command(['LRANGE', this.keys.legacyOutcomes, '0', '-1'])) as string[]) {
        const stored = JSON.parse(json) as StoredOutcome;
        legacyOutcomes.set(stored.customerId, [...(legacyOutcomes.get(stored.customerId) ?? []), attributed(stored)]);
      }
    }
    const keyStart = this.keys.decisions('');
    const customers = [...(await this.scanKeys(keyStart))].map((key) => key.slice(keyStart.length));
    for (const key of customers.sort()) {
      // In time order, as pairing them with outcomes needs: the list is in the order they were
      // pushed, each stamped by its own instance's clock.
      const decisions = (await this.readDecisions(key, key)).sort((a, b) => a.ts - b.ts);
      const stored = (await this.command(['LRANGE', this.keys.outcomes(key), '0', '-1'])) as string[];
      const outcomes = [...(legacyOutcomes.get(key) ?? []), ...stored.map((json) => attributed(JSON.parse(json) as StoredOutcome))];
      yield* pairOutcomes(decisions, outcomes);
    }
  }

  /** One list per customer, as their outcomes are kept; appended per customer (a batch is not atomic: a lost score only thins the comparison). */
  async recordChallengerScores(scores: readonly ChallengerScore[]): Promise<void> {
    const byCustomer = new Map<string, string[]>();
    for (const score of scores) {
      const key = this.keyOf(score.customerId);
      const list = byCustomer.get(key) ?? [];
      list.push(JSON.stringify({ ...score, customerId: key }));
      byCustomer.set(key, list);
    }
    await Promise.all([...byCustomer].map(([key, list]) => this.command(['RPUSH', this.keys.challengerScores(key), ...list])));
  }

  /** Every logged score with the customer's first outcome at or after it (an offline read: it SCANs the per-customer lists). */
  async *challengerLog(): AsyncIterable<LoggedChallengerScore> {
    const keyStart = this.keys.challengerScores('');
    for (const key of [...(await this.scanKeys(keyStart))].map((found) => found.slice(keyStart.length)).sort()) {
      const scores = ((await this.command(['LRANGE', this.keys.challengerScores(key), '0', '-1'])) as string[]).map((json) => JSON.parse(json) as ChallengerScore);
      const outcomes = ((await this.command(['LRANGE', this.keys.outcomes(key), '0', '-1'])) as string[])
        .map((json) => JSON.parse(json) as StoredOutcome)
        .sort((a, b) => a.ts - b.ts);
      for (const score of scores.sort((a, b) => a.ts - b.ts)) {
        const outcome = outcomes.find((candidate) => candidate.ts >= score.ts);
        yield { score, outcome: outcome === undefined ? null : { ts: outcome.ts, retained: outcome.retained } };
      }
    }
  }

  /**
   * Every customer's event log (an offline read: it SCANs the per-customer streams and reads
   * each in chunks), then the shared stream of stores written before per-customer logs. One
   * batch per customer (or chunk); with keyed ids, customers are named by their keys.
   */
  async *eventLog(): AsyncIterable<readonly ChurnEvent[]> {
    for (const key of await this.scanKeys(this.keys.events(''))) yield* this.readStream(key);
    if ((await this.command(['TYPE', this.keys.legacyEvents])) === 'stream') yield* this.readStream(this.keys.legacyEvents);
  }

  /**
   * Erases the customer's own keys and their decisions' share of the decision summary
   * atomically, then their fields of the lift report, and their entries in the shared event
   * log and outcome list of stores written before per-customer logs (scanned in chunks, only
   * where those keys exist).
   */
  async eraseCustomer(customerId: string): Promise<ErasureReport> {
    const key = this.keyOf(customerId);
    this.remembered.forget(key);
    const [state, events, decisions, outcomes] = (await this.script(
      ERASE_CUSTOMER,
      [
        this.keys.state(key),
        this.keys.events(key),
        this.keys.eventIds(key),
        this.keys.decisions(key),
        this.keys.outcomes(key),
        this.keys.customers,
        this.keys.challengerScores(key),
        this.keys.decisionSummary,
      ],
      [key],
    )) as number[];
    const fields = await this.scanFields(this.keys.latestOutcomes, `*,${globEscape(JSON.stringify(key))}]`);
    if (fields.length > 0) await this.command(['HDEL', this.keys.latestOutcomes, ...fields]);
    return {
      state: state === 1,
      events: Number(events) + (await this.eraseFromLegacyLog(key)),
      decisions: Number(decisions),
      outcomes: Number(outcomes) + (await this.eraseFromLegacyOutcomes(key)),
    };
  }

  async close(): Promise<void> {
    await this.commitWaitingAppends();
    this.remembered.clear();
    await this.disconnect();
  }

  /** Commits the waiting appends as one group, then those that arrived meanwhile, and so on. */
  private commitWaitingAppends(): Promise<void> {
    if (this.committing === undefined && this.waitingAppends.length > 0) this.committing = this.runGroupCommits();
    return this.committing ?? Promise.resolve();
  }

  private async runGroupCommits(): Promise<void> {
    try {
      while (this.waitingAppends.length > 0) {
        const group = this.waitingAppends;
        this.waitingAppends = [];
        await this.commitGroup(group);
      }
    } finally {
      this.committing = undefined;
    }
  }

  /**
   * Reads, folds and writes a group until the write finds its customers unchanged. A batch
   * that cannot be folded (a state that cannot be stored) or touches a customer with a key
   * of another type is refused alone; the others go on.
   */
  private async commitGroup(group: PendingAppend[]): Promise<void> {
    let batches = group;
    try {
      for (let attempt = 0; attempt < this.maxRetries; ) {
        // Remembered states on the first attempt only: after a conflict, everything is read.
        const customers = await this.readGroupCustomers(batches, attempt === 0);
        const { written, refused } = this.foldGroup(batches, customers);
        for (const [append, error] of refused) append.reject(error);
        batches = written;
        if (batches.length === 0) return;
        const inGroup = [...customers.values()];
        const changed = await this.writeGroup(inGroup);
        if (changed === null) {
          for (const customer of inGroup) this.rememberWritten(customer);
          for (const append of batches) append.resolve();
          return;
        }
        if (changed.wrongType) {
          // Nothing was written, and no other instance is involved: that customer's batches
          // fail alone, the others are folded again without them, with no attempt spent.
          batches = refuseBatchesOf(batches, changed.customer.customerId, keyTypeError());
          continue;
        }
        for (const customer of inGroup) this.remembered.forget(customer.key);
        // Another instance changed a customer since it was read: read again after a pause
        // that grows and is random, so instances racing for one hot customer spread out. A
        // remembered state that went stale is read again at once.
        if (!changed.customer.remembered) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
        attempt++;
      }
      const error = new ChurnkitError(
        'STORE_CONTENTION',
        `these customers' states changed under us ${this.maxRetries} times in a row; no event of the batch was stored`,
      );
      for (const append of batches) append.reject(error);
    } catch (error) {
      for (const append of batches) append.reject(error);
    }
  }

  /**
   * Every customer of the group, with their stored state and which of their events' ids they
   * already have: one round trip for those read. With `fromMemory`, a customer whose state is
   * remembered is not read (their ids are then checked by the write script).
   */
  private async readGroupCustomers(batches: readonly PendingAppend[], fromMemory: boolean): Promise<Map<string, GroupCustomer>> {
    const idsAsked = new Map<string, Set<string>>();
    for (const { events } of batches) {
      for (const event of events) {
        const asked = idsAsked.get(event.customerId) ?? idsAsked.set(event.customerId, new Set()).get(event.customerId)!;
        if (event.id !== undefined) asked.add(event.id);
      }
    }
    const reads = [...idsAsked].map(async ([customerId, ids]) => {
      const key = this.keyOf(customerId);
      const remembered = fromMemory ? this.remembered.get(key) : undefined;
      if (remembered !== undefined) {
        const customer: GroupCustomer = { customerId, key, readDigest: remembered.digest, bytes: remembered.bytes, ids: new Set(), loggedEvents: [], newIds: [], remembered: true };
        return customer;
      }
      let bytes: Buffer | null;
      let known: number[];
      try {
        [bytes, known] = await Promise.all([
          this.readState(key),
          ids.size === 0 ? [] : (this.command(['SMISMEMBER', this.keys.eventIds(key), ...[...ids].map(eventIdMember)]) as Promise<number[]>),
        ]);
      } catch (error) {
        if (!isCustomerDataError(error)) throw error;
        const customer: GroupCustomer = { customerId, key, readDigest: '', bytes: null, ids: new Set(), loggedEvents: [], newIds: [], remembered: false, unreadable: error };
        return customer;
      }
      const idList = [...ids];
      const customer: GroupCustomer = {
        customerId,
        key,
        readDigest: bytes === null ? '' : sha1Hex(bytes),
        bytes,
        ids: new Set(idList.filter((_, index) => Number(known[index]) === 1)),
        loggedEvents: [],
        newIds: [],
        remembered: false,
      };
      return customer;
    });
    return new Map((await Promise.all(reads)).map((customer) => [customer.customerId, customer]));
  }

  /** Folds the batches in order onto the states read; a batch whose fold throws changes nothing and is refused. */
  private foldGroup(
    batches: readonly PendingAppend[],
    customers: Map<string, GroupCustomer>,
  ): { written: PendingAppend[]; refused: [PendingAppend, unknown][] } {
    const written: PendingAppend[] = [];
    const refused: [PendingAppend, unknown][] = [];
    for (const batch of batches) {
      const changes: [GroupCustomer, Buffer, string[], string[]][] = [];
      try {
        for (const [customerId, events] of eventsByCustomer(batch.events)) {
          const customer = customers.get(customerId)!;
          if (customer.unreadable !== undefined) throw customer.unreadable;
          const fresh = unseenEvents(events, new Set(customer.ids));
          if (fresh.length === 0) continue;
          const state = foldEvents(customer.bytes === null ? null : decodeCustomerState(customer.bytes), fresh);
          const logged = fresh.map((event) => JSON.stringify(customer.key === customerId ? event : { ...event, customerId: customer.key }));
          const ids = fresh.flatMap((event) => (event.id === undefined ? [] : [event.id]));
          changes.push([customer, Buffer.from(encodeCustomerStateTransient(state)), logged, ids]);
        }
      } catch (error) {
        refused.push([batch, error]);
        continue;
      }
      for (const [customer, bytes, logged, ids] of changes) {
        customer.bytes = bytes;
        customer.loggedEvents.push(...logged);
        for (const id of ids) customer.ids.add(id);
        customer.newIds.push(...ids);
      }
      written.push(batch);
    }
    return { written, refused };
  }

  /**
   * After a write: the state the server now holds for a customer the group changed (their
   * bytes were encoded here; a state as read may share a larger buffer of the connection's).
   */
  private rememberWritten(customer: GroupCustomer): void {
    if (customer.loggedEvents.length === 0 || customer.bytes === null) return;
    this.remembered.remember(customer.key, { bytes: customer.bytes, digest: sha1Hex(customer.bytes) });
  }

  /**
   * Writes the customers the group changed, all or none; null once written, else the first
   * that had changed on the server or has a key of another type (then nothing was written).
   */
  private async writeGroup(customers: readonly GroupCustomer[]): Promise<{ customer: GroupCustomer; wrongType: boolean } | null> {
    const changed = customers.filter((customer) => customer.loggedEvents.length > 0);
    if (changed.length === 0) return null;
    const keys = [this.keys.customers];
    const args: (string | Buffer)[] = [];
    for (const customer of changed) {
      keys.push(this.keys.state(customer.key), this.keys.events(customer.key), this.keys.eventIds(customer.key));
      args.push(customer.key, customer.readDigest, customer.bytes!, String(customer.loggedEvents.length), ...customer.loggedEvents);
      args.push(String(customer.newIds.length), ...customer.newIds.map(eventIdMember));
    }
    const conflict = Number(await this.script(WRITE_GROUP_IF_UNCHANGED, keys, args));
    return conflict === 0 ? null : { customer: changed[Math.abs(conflict) - 1]!, wrongType: conflict < 0 };
  }

  private async readDecisions(customerId: string, key: string): Promise<Decision[]> {
    const jsons = (await this.command(['LRANGE', this.keys.decisions(key), '0', '-1'])) as string[];
    return jsons.map((json) => parseDecision(json, customerId));
  }

  /**
   * The customer's decisions at or after `sinceTs`, oldest first, read from the newest back
   * in chunks: what the request path reads costs the same after years of decisions as after
   * a week. It stops at the start of the list or at a chunk holding a decision older than
   * `sinceTs` by more than the clock skew allowed between instances. The newest chunk is one
   * LRANGE (for most customers, all there is); older chunks are read by position from the
   * list's length, which decisions pushed meanwhile do not move.
   */
  private async readDecisionsSince(customerId: string, key: string, sinceTs: number): Promise<Decision[]> {
    const list = this.keys.decisions(key);
    const newest = inWindow(await this.lrange(list, -RECENT_DECISIONS_CHUNK, -1), customerId, sinceTs);
    if (newest.pastWindow || newest.read < RECENT_DECISIONS_CHUNK) return since(newest.decisions, sinceTs);
    const [length, jsons] = (await this.script(READ_NEWEST_DECISIONS, [list], [String(RECENT_DECISIONS_CHUNK)])) as [number, string[]];
    // Chunks from the newest back, each in the order its decisions were pushed.
    const chunks = [inWindow(jsons, customerId, sinceTs)];
    for (let start = Number(length) - jsons.length; start > 0 && !chunks.at(-1)!.pastWindow; ) {
      const end = start - 1;
      start = Math.max(0, start - RECENT_DECISIONS_CHUNK);
      const chunk = inWindow(await this.lrange(list, start, end), customerId, sinceTs);
      // Erased meanwhile: nothing older is left either.
      if (chunk.read === 0) break;
      chunks.push(chunk);
    }
    return since(chunks.reverse().flatMap((chunk) => chunk.decisions), sinceTs);
  }

  private async lrange(list: string, start: number, end: number): Promise<string[]> {
    return (await this.command(['LRANGE', list, String(start), String(end)])) as string[];
  }

  private async scanFields(hash: string, pattern: string): Promise<string[]> {
    const fields: string[] = [];
    let cursor = '0';
    do {
      const [next, flat] = (await this.command(['HSCAN', hash, cursor, 'MATCH', pattern, 'COUNT', '500'])) as [string, string[]];
      for (let i = 0; i < flat.length; i += 2) fields.push(flat[i]!);
      cursor = next;
    } while (cursor !== '0');
    return fields;
  }

  /** Every key starting with `start`, once each (SCAN may return a key more than once). */
  private async scanKeys(start: string): Promise<Set<string>> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = (await this.command(['SCAN', cursor, 'MATCH', `${globEscape(start)}*`, 'COUNT', '1000'])) as [string, string[]];
      for (const key of keys) found.add(key);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }

  /** A stream of logged events (field `event`, JSON), in chunks of STREAM_CHUNK entries. */
  private async *readStream(key: string): AsyncIterable<ChurnEvent[]> {
    for (let start = '-'; ; ) {
      const entries = (await this.command(['XRANGE', key, start, '+', 'COUNT', String(STREAM_CHUNK)])) as [string, string[]][];
      if (entries.length > 0) yield entries.map(([, fields]) => JSON.parse(fields[1]!) as ChurnEvent);
      if (entries.length < STREAM_CHUNK) return;
      start = `(${entries[entries.length - 1]![0]}`;
    }
  }

  /** Entries of the customer in the shared event stream of stores written before per-customer logs. */
  private async eraseFromLegacyLog(key: string): Promise<number> {
    if ((await this.command(['TYPE', this.keys.legacyEvents])) !== 'stream') return 0;
    let erased = 0;
    let start = '-';
    for (;;) {
      const entries = (await this.command(['XRANGE', this.keys.legacyEvents, start, '+', 'COUNT', '1000'])) as [string, string[]][];
      const ids = entries.filter(([, fields]) => belongsTo(fields[1], key)).map(([id]) => id);
      if (ids.length > 0) erased += Number(await this.command(['XDEL', this.keys.legacyEvents, ...ids]));
      if (entries.length < 1000) return erased;
      start = `(${entries[entries.length - 1]![0]}`;
    }
  }

  /** Entries of the customer in the shared outcome list of stores written before per-customer lists. */
  private async eraseFromLegacyOutcomes(key: string): Promise<number> {
    if ((await this.command(['TYPE', this.keys.legacyOutcomes])) !== 'list') return 0;
    const all = (await this.command(['LRANGE', this.keys.legacyOutcomes, '0', '-1'])) as string[];
    let erased = 0;
    for (const json of new Set(all.filter((entry) => belongsTo(entry, key)))) {
      erased += Number(await this.command(['LREM', this.keys.legacyOutcomes, '0', json]));
    }
    return erased;
  }

  /**
   * A customer's stored state, null when none; at most MAX_STATE_BYTES are read (GETRANGE:
   * the store never writes an empty state, so the empty string it gives for a missing key is none).
   */
  private async readState(key: string): Promise<Buffer | null> {
    const bytes = (await this.command(['GETRANGE', this.keys.state(key), '0', String(MAX_STATE_BYTES)], AS_BUFFERS)) as Buffer;
    if (bytes.length === 0) return null;
    if (bytes.length > MAX_STATE_BYTES) {
      throw new ChurnkitError('STATE_FORMAT', `stored customer state: more than ${MAX_STATE_BYTES} bytes, more than any state record holds`);
    }
    return bytes;
  }

  /** A command; its known failures reject as churnkit's errors (redis-errors.ts). */
  private command(args: ReadonlyArray<string | Buffer>, options?: typeof AS_BUFFERS): Promise<unknown> {
    return this.redis.sendCommand(args, options).catch(typedCommandError);
  }

  /** EVALSHA first (the script body is sent once per server), EVAL when the server has not seen it. */
  private async script(body: string, keys: readonly string[], args: ReadonlyArray<string | Buffer>): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.command(['EVALSHA', scriptSha(body), ...tail]);
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return this.command(['EVAL', body, ...tail]);
    }
  }
}

/** The batches without those holding an event of `customerId`, which are rejected with `error`. */
function refuseBatchesOf(batches: readonly PendingAppend[], customerId: string, error: unknown): PendingAppend[] {
  return batches.filter((batch) => {
    const touches = batch.events.some((event) => event.customerId === customerId);
    if (touches) batch.reject(error);
    return !touches;
  });
}

/** The URL with its password masked, for messages: they end up in logs and crash reports. */
function withoutPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'a URL that does not parse';
  }
  if (parsed.password === '') return url;
  parsed.password = '***';
  return parsed.href;
}

/** SHA-1 in hex, as Redis names a script and as `redis.sha1hex` gives a state's. */
function sha1Hex(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

/** A script's SHA-1, worked out once per script body. */
const scriptShas = new Map<string, string>();
function scriptSha(body: string): string {
  let digest = scriptShas.get(body);
  if (!digest) {
    digest = sha1Hex(body);
    scriptShas.set(body, digest);
  }
  return digest;
}

/** The decision script's ARGV[7..11] (RECORD_DECISION_WITHIN_LIMITS): all empty when there is nothing to check. */
function limitArguments(action: string | null, limits: RepeatLimits | undefined): string[] {
  if (action === null || limits === undefined) return ['', '', '', '', ''];
  return [
    action,
    String(limits.cooldownAfter),
    String(limits.capSince),
    Number.isFinite(limits.maxPerCustomer) ? String(limits.maxPerCustomer) : '',
    String(repeatWindowStart(limits) - DECISION_CLOCK_SKEW_MS),
  ];
}

/** Of a chunk of stored decisions: those at or after `sinceTs`, and whether one lies past the window's reach. */
function inWindow(jsons: readonly string[], customerId: string, sinceTs: number): { decisions: Decision[]; read: number; pastWindow: boolean } {
  const decisions: Decision[] = [];
  let pastWindow = false;
  for (const json of jsons) {
    const decision = parseDecision(json, customerId);
    if (decision.ts >= sinceTs) decisions.push(decision);
    else if (decision.ts < sinceTs - DECISION_CLOCK_SKEW_MS) pastWindow = true;
  }
  return { decisions, read: jsons.length, pastWindow };
}

/** A decision as `recordDecision` pushed it; an entry that is not a JSON object (pushed by something else) is that customer's STORE_DECISION_FORMAT. */
function parseDecision(json: string, customerId: string): Decision {
  let decision: unknown;
  try {
    decision = JSON.parse(json);
  } catch (error) {
    throw decisionFormatError(error);
  }
  if (decision === null || typeof decision !== 'object' || Array.isArray(decision)) throw decisionFormatError();
  (decision as Decision).customerId = customerId;
  return decision as Decision;
}

function decisionFormatError(cause?: unknown): ChurnkitError {
  return new ChurnkitError('STORE_DECISION_FORMAT', 'a stored decision of this customer in Redis is not a JSON object, as the store writes them', { cause });
}

/** Decisions at or after `sinceTs`, oldest first; a stable sort keeps logging order among equal times, like SQLite's ORDER BY ts, id. */
function since(decisions: Decision[], sinceTs: number): Decision[] {
  return decisions.filter((decision) => decision.ts >= sinceTs).sort((a, b) => a.ts - b.ts);
}

/** Whether a stored JSON record (event or outcome) is the customer's. */
function belongsTo(json: string | undefined, key: string): boolean {
  if (json === undefined) return false;
  try {
    return (JSON.parse(json) as { customerId?: unknown }).customerId === key;
  } catch {
    return false;
  }
}

/** `text` matched literally by a Redis glob pattern. */
/** An outcome as `recordOutcome` stores it: with the action and group it was attributed to. */
type StoredOutcome = Outcome & { action: string; group: Group | null };

function attributed(stored: StoredOutcome): AttributedOutcome {
  return { ts: stored.ts, retained: stored.retained, action: stored.action, group: stored.group };
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** The decision with the latest timestamp; among equal timestamps, the last recorded. */
function latestDecision(decisions: readonly Decision[]): Decision | null {
  let latest: Decision | null = null;
  for (const decision of decisions) if (!latest || decision.ts >= latest.ts) latest = decision;
  return latest;
}
