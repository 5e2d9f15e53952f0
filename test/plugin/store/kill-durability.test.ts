import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChurnEvent } from '../../../src/events/types.js';
import { applyEvent, createCustomerState } from '../../../src/features/online-state.js';
import { writeQuickModel } from '../demo/quick-model.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'churnkit-kill9-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Starts the events server in its own Node process and resolves with its port. */
async function startChild(dataDir: string, modelPath: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', join(here, 'register-typescript.mjs'), join(here, 'durable-events-server.ts'), dataDir, modelPath],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`events server exited (${code}) before listening: ${stderr}`)));
  });
  return { child, port };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** The fields that identify an event, whatever order the plugin wrote its keys in. */
function eventKey(event: ChurnEvent): string {
  return [event.customerId, event.ts, event.type, event.value, event.category].join('|');
}

function eventsFor(round: number, request: number): ChurnEvent[] {
  const customerId = `k${round}-${request % 5}`;
  const ts = Date.UTC(2026, 0, 1) + round * 86_400_000 + request * 60_000;
  return [
    { customerId, ts, type: 'page_view', category: `cat${request}` },
    { customerId, ts: ts + 1, type: 'order', value: 10 + request, quantity: 1 },
  ];
}

describe('plugin with its default SQLite store under kill -9', () => {
  it('keeps every event acknowledged with a 2xx, and the state folded from them, when the process is killed right after', async () => {
    const dataDir = join(root, 'data');
    const modelPath = await writeQuickModel(root);
    const acknowledged: ChurnEvent[] = [];
    for (let round = 0; round < 3; round++) {
      const { child, port } = await startChild(dataDir, modelPath);
      // Four clients post back to back; the child dies right after the fifth acknowledgement,
      // with other requests still being parsed, waiting for their group commit or committing.
      let killed: Promise<void> | null = null;
      let acknowledgements = 0;
      let request = 0;
      const client = async () => {
        while (killed === null) {
          const events = eventsFor(round, request++);
          try {
            const response = await fetch(`http://127.0.0.1:${port}/churn/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ events }),
            });
            if (response.ok) {
              acknowledged.push(...events);
              if (++acknowledgements === 5) killed = killHard(child);
            }
          } catch {
            return; // cut off by the kill: never acknowledged, so nothing is promised about it
          }
        }
      };
      await Promise.all([client(), client(), client(), client()]);
      await (killed ?? killHard(child));
      expect(child.signalCode).toBe('SIGKILL');
    }
    expect(acknowledged.length).toBeGreaterThan(0);

    const db = new Database(join(dataDir, 'churnkit.sqlite'), { readonly: true });
    try {
      const stored = db.prepare('SELECT event FROM events ORDER BY id').all() as { event: string }[];
      const storedEvents = stored.map((row) => JSON.parse(row.event) as ChurnEvent);
      const storedKeys = new Set(storedEvents.map(eventKey));
      for (const event of acknowledged) expect(storedKeys.has(eventKey(event)), `acknowledged ${eventKey(event)}`).toBe(true);

      // Each customer's state is exactly the fold of its stored events in commit order: no half-applied batch.
      const customers = db.prepare('SELECT customer_id, state FROM customers').all() as { customer_id: string; state: string }[];
      expect(customers.length).toBeGreaterThan(0);
      for (const { customer_id: customerId, state } of customers) {
        let expected = createCustomerState();
        for (const event of storedEvents.filter((e) => e.customerId === customerId)) {
          expected = applyEvent(expected, event);
        }
        expect(JSON.parse(state)).toEqual(expected);
      }
    } finally {
      db.close();
    }
  });
});
