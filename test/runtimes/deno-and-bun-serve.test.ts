/**
 * churnkit/fetch served by Deno.serve and Bun.serve (deno and bun from npm), from the installed
 * package, sent what a hostile or broken client sends over a raw socket: bodies that never end,
 * lie about their length or stop half-way. The in-process parity test (test/plugin/edge) cannot
 * send these: only a real server reads a body off a connection.
 */
import { copyFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningServer, type ListeningServer } from '../support/listening-server.js';
import { bunEnvironment, cleanEnvironment, denoEnvironment, INSTALL_TIMEOUT_MS, REPO } from '../package/installed-package.js';
import { runtimeFolder } from './runtime-folder.js';

const RUNTIMES = [
  { name: 'Deno', args: ['run', '--allow-read', '--allow-net', 'serve-fetch-handler.mjs'], env: denoEnvironment },
  { name: 'Bun', args: ['serve-fetch-handler.mjs'], env: bunEnvironment },
];

/** The default bodyLimit, "1mb". */
const BODY_LIMIT = 1024 * 1024;

interface RawAnswer {
  status: number;
  /** The header block, as it came. */
  headers: string;
  body: string;
}

/**
 * Writes `head` and then `chunks` to the server over one connection, and resolves with the first
 * answer that comes back, whether or not every chunk was written by then. Never ends a chunked body.
 */
function sendRaw(url: URL, head: string, chunks: readonly Buffer[]): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.on('data', (data: Buffer) => {
      received += data.toString();
      const [headers, body] = received.split('\r\n\r\n', 2);
      const length = /content-length: (\d+)/i.exec(headers!)?.[1];
      if (body !== undefined && length !== undefined && Buffer.byteLength(body) >= Number(length)) {
        socket.destroy();
        resolve({ status: Number(/^HTTP\/1\.[01] (\d+)/.exec(headers!)![1]), headers: headers!, body });
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`the connection closed before a whole answer came: ${JSON.stringify(received)}`)));
    socket.write(head);
    (async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        if (!socket.write(chunk)) await new Promise((drained) => socket.once('drain', drained));
      }
    })().catch(reject);
  });
}

/** Sends `head` and the start of a body, then breaks the connection, as a client that went away. */
function sendAndGoAway(url: URL, head: string, partialBody: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(head + partialBody, () => setTimeout(() => socket.resetAndDestroy(), 50));
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve());
  });
}

const postHead = (path: string, framing: string) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n`;

async function heard(url: URL): Promise<{ answered: number; heard: string[] }> {
  return (await (await fetch(new URL('/heard', url))).json()) as { answered: number; heard: string[] };
}

describe.each(RUNTIMES)('$name serving churnkit/fetch (the npm package)', ({ name, args, env }) => {
  let server: ListeningServer;
  beforeAll(async () => {
    const folder = await runtimeFolder(`${name.toLowerCase()}-serve`, []);
    copyFileSync(join(import.meta.dirname, 'serve-fetch-handler.mjs'), join(folder, 'serve-fetch-handler.mjs'));
    server = await listeningServer(join(REPO, 'node_modules', '.bin', name.toLowerCase()), args, folder, cleanEnvironment(env(folder)));
  }, INSTALL_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it('answers a Content-Length over the body limit with 413 at once, without waiting for the 100 MB it announces', async () => {
    const answer = await sendRaw(server.url, postHead('/churn/score', 'Content-Length: 104857600\r\n'), [Buffer.from('{"customerId":')]);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
  });

  it('refuses a chunked body with 413 once it passes the limit, while the client is still sending it (the body never ends)', async () => {
    const piece = Buffer.from(`10000\r\n${' '.repeat(0x10000)}\r\n`);
    const answer = await sendRaw(server.url, postHead('/churn/events', 'Transfer-Encoding: chunked\r\n'), [Buffer.from('1\r\n{\r\n'), ...Array.from({ length: (2 * BODY_LIMIT) / 0x10000 }, () => piece)]);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
  });

  it('does not report a client that went away half-way through its body to onError as an INTERNAL error, and keeps serving', async () => {
    const before = await heard(server.url);
    await sendAndGoAway(server.url, postHead('/churn/events', 'Content-Length: 1000\r\n'), '{"events":[{"customerId":');
    await sendAndGoAway(server.url, postHead('/churn/score', 'Transfer-Encoding: chunked\r\n'), 'e\r\n{"customerId":\r\n');
    // Both requests finish in the handler (answered to nobody) before anything is read from what it heard.
    await expect.poll(async () => (await heard(server.url)).answered, { timeout: 20_000 }).toBeGreaterThanOrEqual(before.answered + 2);
    expect((await heard(server.url)).heard).toEqual(before.heard);
    const health = await fetch(new URL('/churn/healthz', server.url));
    expect(health.status).toBe(200);
  });

  // docs/edge.md, `basePath` and `bodyLimit`: where the runtime's web-standard Request makes the answer differ from Express's.
  it('matches a path after the runtime removed its dot segments, and refuses a request with two Content-Types, as docs/edge.md says', async () => {
    const health = await sendRaw(server.url, 'GET /churn/x/../healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', []);
    expect(health.status).toBe(200);
    const body = Buffer.from('{"customerId":"c1"}');
    const twoTypes = `POST /churn/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`;
    const refused = await sendRaw(server.url, twoTypes, [body]);
    expect(refused.status).toBe(415);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  // Bun builds request.url without the host when the Host header is missing or not a host ("/churn/healthz"),
  // Deno writes the header into it as it came ("http://a b/churn/healthz"): neither parses as a URL on its own.
  it.each([
    ['an HTTP/1.0 request without a Host header', 'GET /churn/healthz HTTP/1.0\r\n\r\n'],
    ['a Host header that is not a host', 'GET /churn/healthz HTTP/1.1\r\nHost: a b\r\n\r\n'],
    ['a Host header with a port out of range', 'GET /churn/healthz HTTP/1.1\r\nHost: x:99999\r\n\r\n'],
  ])('answers %s itself, in JSON: its route, or 400 BAD_REQUEST when the runtime gave it a URL that does not parse (never the runtime\'s 500)', async (_what, head) => {
    const answer = await sendRaw(server.url, head, []);
    expect(answer.headers).toMatch(/content-type: application\/json; charset=utf-8/i);
    if (answer.status === 400) expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    else expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
