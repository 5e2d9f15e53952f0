/**
 * The storefront child processes the kill -9 tests start (durable-events-server.ts for the
 * stores, ../swap-server.ts for model swaps): run from their TypeScript sources
 * (register-typescript.mjs), each prints its port once listening, and dies by SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';

const here = dirname(fileURLToPath(import.meta.url));

/** Starts `script` (a TypeScript file) with `args` in its own Node process; resolves with its port. */
export async function startChildServer(script: string, args: readonly string[], name: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', join(here, 'register-typescript.mjs'), script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening: ${stderr}`)));
  });
  return { child, port };
}

/** SIGKILL, resolved once the process is gone (at once if it already is). */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** In the child: listens on a free loopback port and prints it, the parent's cue. */
export function listenAndPrintPort(app: Express): Server {
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') process.stdout.write(`${address.port}\n`);
  });
  return server;
}
