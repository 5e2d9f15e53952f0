/**
 * The hostile requests `npm run bench:soak` mixes into its sustained traffic: one of each
 * attack issue 11 reproduced against the demo server, plus the other bodies and routes an
 * adversary tries. Each has the status class the plugin must answer it with (a documented 4xx,
 * never a 5xx, never accepted); the soak counts every answer against it. Fixed requests, not
 * generated ones: the fuzz suites (test/fuzz) cover the space of bodies, this covers time.
 */

/** A request as autocannon sends it. */
export interface HostileRequest {
  /** What it attacks, as the results name it. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The status the plugin documents for it. */
  expected: number;
}

const json = { 'content-type': 'application/json' };
const YEAR_MS = 365 * 86_400_000;

/**
 * The catalogue, under the router's mount point `base` (`/churn`). Event times are taken at
 * call time, so a long soak's "far future" stays far. `customerId` is a seeded customer the
 * attacks target (the far-future event of defect 1 would wreck them if it were stored).
 *
 * @example
 * const attacks = hostileRequests('/churn', 'c-00042');
 * attacks.find((attack) => attack.name === 'event a year ahead')!.expected; // 400
 */
export function hostileRequests(base: string, customerId: string): HostileRequest[] {
  const now = Date.now();
  const event = (ts: unknown) => JSON.stringify({ events: [{ customerId, type: 'order', value: 25, ts }] });
  return [
    // Issue 11 defect 1: far-future and wrong-unit timestamps.
    { name: 'event a year ahead', method: 'POST', path: `${base}/events`, headers: json, body: event(now + YEAR_MS), expected: 400 },
    { name: 'event at 1e20', method: 'POST', path: `${base}/events`, headers: json, body: event(1e20), expected: 400 },
    { name: 'event in microseconds', method: 'POST', path: `${base}/events`, headers: json, body: event(now * 1000), expected: 400 },
    { name: 'event in 1900', method: 'POST', path: `${base}/events`, headers: json, body: event('1900-01-01T00:00:00Z'), expected: 400 },
    // Defect 2: a score sent as text/plain (a fetch with a string body).
    { name: 'score as text/plain', method: 'POST', path: `${base}/score`, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ customerId }), expected: 415 },
    { name: 'score in latin1', method: 'POST', path: `${base}/score`, headers: { 'content-type': 'application/json; charset=latin1' }, body: JSON.stringify({ customerId }), expected: 415 },
    { name: 'gzip-encoded score', method: 'POST', path: `${base}/score`, headers: { ...json, 'content-encoding': 'gzip' }, body: '{}', expected: 415 },
    // Bodies: deep, broken, unsafe keys, NaN-like strings, too large, too many items.
    { name: 'score nested 3,000 levels', method: 'POST', path: `${base}/score`, headers: json, body: `${'['.repeat(3_000)}1${']'.repeat(3_000)}`, expected: 400 },
    { name: 'broken JSON', method: 'POST', path: `${base}/score`, headers: json, body: '{"customerId":', expected: 400 },
    { name: '__proto__ key', method: 'POST', path: `${base}/score`, headers: json, body: `{"customerId":"${customerId}","record":{"__proto__":{"polluted":1}}}`, expected: 400 },
    { name: 'NaN as a string', method: 'POST', path: `${base}/score`, headers: json, body: JSON.stringify({ customerId, record: { recency_days: 'NaN' } }), expected: 400 },
    { name: 'id of 60,000 characters', method: 'POST', path: `${base}/score`, headers: json, body: JSON.stringify({ customerId: 'x'.repeat(60_000) }), expected: 400 },
    { name: 'body over the 1 MB limit', method: 'POST', path: `${base}/events`, headers: json, body: JSON.stringify({ events: [{ customerId, type: 'order', category: 'c'.repeat(1_100_000) }] }), expected: 413 },
    { name: 'batch over batchLimit', method: 'POST', path: `${base}/score/batch`, headers: json, body: JSON.stringify({ items: Array.from({ length: 1_001 }, () => ({})) }), expected: 400 },
    // Forged outcome (defect 7): no decision was logged for this action and arm.
    { name: 'outcome for a made-up action', method: 'POST', path: `${base}/outcomes`, headers: json, body: JSON.stringify({ customerId: 'never-decided', retained: true, action: 'free-money', group: 'treatment' }), expected: 409 },
    // Routes: unknown, wrong method, admin without the token.
    { name: 'unknown route', method: 'GET', path: `${base}/../../etc/passwd`, headers: {}, expected: 404 },
    { name: 'wrong method', method: 'DELETE', path: `${base}/score`, headers: {}, expected: 405 },
    { name: 'PUT /model without a token', method: 'PUT', path: `${base}/model`, headers: json, body: '{"version":"evil"}', expected: 401 },
    { name: 'erasure with a wrong token', method: 'POST', path: `${base}/customers/erase`, headers: { ...json, authorization: 'Bearer guessed-token-0000000000' }, body: JSON.stringify({ customerId }), expected: 401 },
  ];
}
