/**
 * The reduced load and soak run of npm test: `bench/soak.ts --smoke` as `npm run bench:soak`
 * runs it, in its own processes (a storefront child on SQLite with full durability, the
 * WebAssembly kernel and the shipped model; autocannon in the parent). It asserts what a bug
 * would break, never a speed (speed lives in bench/RESULTS.md, "Reliability"): no error under
 * load; in 5,000 scores mixed with events and attacks, no 5xx, every attack answered with its
 * documented status, no acknowledged event lost; every answer during ten hot-swaps carries
 * exactly its version's probability, the networks of swapped-out models are collected, and the
 * kernel memory of the serving network does not grow.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadInput, MixedInput, SwapsInput } from '../../bench/reliability-report.js';
import { REPO } from '../plugin/edge/example-project.js';
import { requireFreshDist, requireFreshKernel } from '../support/fresh-build.js';

const scratch = mkdtempSync(join(tmpdir(), 'churnkit-soak-smoke-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runSmoke(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO, 'dist', 'bench', 'soak.js'), '--smoke', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => done({ code, output }));
  });
}

describe('npm run bench:soak -- --smoke', () => {
  it('serves load without errors, answers every attack in mixed traffic as documented and loses no acknowledged event, and every answer during hot-swaps matches its version', async () => {
    requireFreshDist();
    requireFreshKernel();
    const { code, output } = await runSmoke(scratch);
    expect(code, output).toBe(0);
    const read = <T>(phase: string) => JSON.parse(readFileSync(join(scratch, `soak-${phase}.json`), 'utf8')) as T;
    const load = read<LoadInput>('load');
    expect(load.routes.map((route) => route.route)).toEqual(['peer: a bare Express JSON route (same process)', 'POST /churn/score', 'POST /churn/events (one event per request)']);
    for (const route of load.routes) expect(route.steps.map((step) => step.errors), route.route).toEqual([0]);
    const swaps = read<SwapsInput>('swaps');
    expect(swaps).toMatchObject({ swaps: 10, mismatches: 0, non2xx: 0 });
    expect(swaps.responses).toBeGreaterThan(100);
    expect(swaps.versionsSeen).toBeGreaterThanOrEqual(2);
    // The serving model's network and at most a swapped-out one a request still held.
    expect(swaps.networksAfter).toBeLessThanOrEqual(2);
    const mixed = read<MixedInput>('mixed');
    expect(mixed.scores).toBeGreaterThanOrEqual(5_000);
    // "sent" counts requests built: the last one of each of the 10 connections may be unanswered when the traffic stops.
    const answered = (statuses: Record<string, number>) => Object.values(statuses).reduce((sum, count) => sum + count, 0);
    expect(Object.keys(mixed.traffic.scores.statuses)).toEqual(['200']);
    expect(answered(mixed.traffic.scores.statuses)).toBeGreaterThanOrEqual(mixed.traffic.scores.sent - 10);
    expect(Object.keys(mixed.traffic.events.statuses)).toEqual(['201']);
    expect(mixed.traffic.events.acknowledged).toBeGreaterThan(50);
    expect(mixed.traffic.events).toMatchObject({ lost: 0, storedUnacknowledged: 0 });
    for (const attack of mixed.traffic.hostile) expect(Object.keys(attack.statuses).filter((status) => status !== String(attack.expected)), attack.name).toEqual([]);
    expect(mixed.traffic.hostile.reduce((sum, attack) => sum + attack.sent, 0)).toBeGreaterThan(300);
    expect(mixed.traffic).toMatchObject({ serverErrors: 0, hostileAccepted: 0, hostileUnexpected: 0, connectionErrors: 0, timeouts: 0 });
    expect(mixed.samples.length).toBeGreaterThanOrEqual(2);
    expect(new Set(mixed.samples.map((sample) => sample.wasmBytes)).size, 'kernel memory is planned once per network and never grows').toBe(1);
  }, 240_000);
});
