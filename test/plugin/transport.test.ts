/**
 * Issue 11, defects 2 and 3: what every adapter answers before a route runs. A JSON route
 * sent anything but UTF-8 `application/json` answers 415 (a `text/plain` score request used to
 * be read as "no body" and answered with the anonymous prior); a path or method no route
 * serves answers the documented JSON 404 / 405 (Express used to answer its HTML page).
 */
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import express from 'express';
import { beforeAll, describe, expect, it } from 'vitest';
import { bothAdapters, viaExpress, type Adapter, type BothAdapters, type Sent } from './adapters.js';
import { ADMIN_TOKEN, NOW } from './plugin-app.js';
import { TEST_MODEL_FIT, testModel, testModelFile } from './test-model.js';

let adapters: BothAdapters;
beforeAll(async () => {
  adapters = await bothAdapters({ model: await testModel(), modelFit: TEST_MODEL_FIT, clock: () => NOW, holdoutFraction: 0 }, { expressOnly: { adminToken: ADMIN_TOKEN } });
});

const JSON_BODY = { customerId: 'c1', record: { recency_days: 200 } };
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe.each(['Express', 'fetch'] as const)('%s', (name) => {
  const adapter = (): Adapter => adapters.all.find((candidate) => candidate.name === name)!;
  const routes: [Sent['method'], string][] = [
    ['POST', '/churn/score'],
    ['POST', '/churn/score/batch'],
    ['POST', '/churn/events'],
    ...(name === 'Express' ? ([['POST', '/churn/outcomes'], ['PUT', '/churn/model'], ['POST', '/churn/customers/erase']] as [Sent['method'], string][]) : []),
  ];

  it.each(routes)('refuses %s %s sent as text/plain with 415, before reading it', async (method, path) => {
    const answer = await adapter().send({ method, path, body: JSON.stringify(JSON_BODY), contentType: 'text/plain;charset=UTF-8', headers: admin });
    expect(answer.status).toBe(415);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'expected a JSON body sent with Content-Type: application/json, got Content-Type "text/plain;charset=UTF-8"' } });
  });

  it('scores what a JSON score request names, and refuses the same request without a JSON content type', async () => {
    const scored = await adapter().send({ method: 'POST', path: '/churn/score', body: JSON_BODY });
    expect(scored.status).toBe(200);
    expect(scored.body).toMatchObject({ customerId: 'c1', status: 'ok' });
    expect((scored.body as { probability: number }).probability).not.toBe(0.25);
    for (const contentType of [null, 'application/x-www-form-urlencoded', 'application/jsonp', 'multipart/form-data; boundary=x']) {
      const refused = await adapter().send({ method: 'POST', path: '/churn/score', body: JSON.stringify(JSON_BODY), contentType });
      expect(refused.status, String(contentType)).toBe(415);
      expect((refused.body as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    // An empty POST (no body, no content type) names nobody: it is refused too, not answered with the prior.
    expect((await adapter().send({ method: 'POST', path: '/churn/score' })).status).toBe(415);
  });

  it('accepts a charset of UTF-8, refuses another charset or a compressed body', async () => {
    expect((await adapter().send({ method: 'POST', path: '/churn/score', body: JSON.stringify(JSON_BODY), contentType: 'application/json; charset="UTF-8"' })).status).toBe(200);
    // `utf8` is UTF-8's other label (the WHATWG Encoding standard's): Deno and Bun read it, and Express's body parser, which reads only `utf-…`, used to answer 415 BAD_REQUEST.
    for (const contentType of ['application/json; charset=utf8', 'application/json;charset="UTF8"']) {
      const answer = await adapter().send({ method: 'POST', path: '/churn/score', body: JSON.stringify(JSON_BODY), contentType });
      expect({ contentType, status: answer.status }).toEqual({ contentType, status: 200 });
      expect(answer.body).toMatchObject({ customerId: 'c1', status: 'ok' });
    }
    const latin1 = await adapter().send({ method: 'POST', path: '/churn/score', body: JSON.stringify(JSON_BODY), contentType: 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    expect(latin1.body).toMatchObject({ error: { code: 'UNSUPPORTED_CHARSET' } });
    const gzip = await adapter().send({ method: 'POST', path: '/churn/score', body: 'not really gzip', headers: { 'content-encoding': 'gzip' } });
    expect(gzip.status).toBe(415);
    expect(gzip.body).toMatchObject({ error: { code: 'UNSUPPORTED_ENCODING' } });
  });

  // HTTP's whitespace is the space and the tab; String.prototype.trim also drops U+00A0 (byte
  // 0xA0 of a header). The fetch handler read "application/json\u00a0" as JSON and answered the
  // score, where Express's body parser does not take it for JSON and skipped the body (400
  // INVALID_BODY "received undefined"), and "identity\u00a0" as no encoding, where Express's
  // parser refused it (415 BAD_REQUEST).
  it('refuses a content type or encoding padded with a no-break space, which is not HTTP whitespace', async () => {
    for (const contentType of ['application/json\u00a0', '\u00a0application/json', 'application/json\u00a0; charset=utf-8']) {
      const answer = await adapter().send({ method: 'POST', path: '/churn/score', body: JSON.stringify(JSON_BODY), contentType });
      expect({ contentType, status: answer.status, code: (answer.body as { error?: { code: string } }).error?.code }).toEqual({ contentType, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    const charset = await adapter().send({ method: 'POST', path: '/churn/score', body: JSON.stringify(JSON_BODY), contentType: 'application/json; charset=utf-8\u00a0' });
    expect({ status: charset.status, body: charset.body }).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_CHARSET' } } });
    const encoding = await adapter().send({ method: 'POST', path: '/churn/score', body: JSON.stringify(JSON_BODY), headers: { 'content-encoding': 'identity\u00a0' } });
    expect({ status: encoding.status, body: encoding.body }).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_ENCODING' } } });
    // The same request with HTTP's own whitespace is read.
    expect((await adapter().send({ method: 'POST', path: '/churn/score', body: JSON.stringify(JSON_BODY), contentType: 'application/json \t; charset=utf-8', headers: { 'content-encoding': 'identity' } })).status).toBe(200);
  });

  it('refuses a body that is not UTF-8 with 400 INVALID_JSON, so ids differing only in invalid bytes are never one customer', async () => {
    const latin1Body = (id: string) => Uint8Array.from([...JSON.stringify({ events: [{ customerId: id, type: 'refund', value: 10 }] })].map((character) => character.charCodeAt(0)));
    for (const id of ['jos\u00e9', 'jos\u00e8']) {
      const answer = await adapter().send({ method: 'POST', path: '/churn/events', body: latin1Body(id) });
      expect(answer.status, id).toBe(400);
      expect(answer.body).toEqual({ error: { code: 'INVALID_JSON', message: 'request body is not valid JSON: it is not UTF-8' } });
    }
    // The same ids as UTF-8 are read, each as itself.
    const utf8 = await adapter().send({ method: 'POST', path: '/churn/events', body: { events: [{ customerId: 'jos\u00e9', type: 'page_view' }] } });
    expect(utf8.status).toBe(201);
    // A sequence cut at the end of the body, and a lone continuation byte, are refused too.
    for (const bytes of [[0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3], [0x7b, 0x22, 0x80, 0x22, 0x3a, 0x31, 0x7d]]) {
      expect((await adapter().send({ method: 'POST', path: '/churn/score', body: Uint8Array.from(bytes) })).body).toMatchObject({ error: { code: 'INVALID_JSON' } });
    }
  });

  it('refuses an empty body sent as JSON (it would be read as {}, and a score request answered with the prior), and a bare null', async () => {
    // A byte-order mark alone (EF BB BF) is empty text too: decoders drop it, and Express's JSON
    // parser then read {} (a score request got the anonymous prior, 200, where fetch answered 400).
    for (const [path, body] of [['/churn/score', ''], ['/churn/events', ''], ['/churn/score', '\ufeff'], ['/churn/events', '\ufeff']]) {
      const empty = await adapter().send({ method: 'POST', path, body, contentType: 'application/json' });
      expect({ path, body, status: empty.status }).toEqual({ path, body, status: 400 });
      expect(empty.body).toEqual({ error: { code: 'INVALID_JSON', message: 'request body is empty; expected a JSON object or array' } });
    }
    for (const body of ['null', '"c1"', '  ']) {
      const answer = await adapter().send({ method: 'POST', path: '/churn/score', body });
      expect(answer.body, body).toEqual({ error: { code: 'INVALID_JSON', message: 'request body is not a JSON object or array' } });
    }
  });

  it('answers an unknown path under /churn with the JSON 404', async () => {
    for (const [method, path] of [['GET', '/churn/nope'], ['POST', '/churn/score/extra'], ['GET', '/churn/'], ['GET', '/churn'], ['GET', '/churn/nope?token=x'], ['DELETE', '/churn/customers'], ['POST', '/churn/score/'], ['POST', '/churn/SCORE']] as [Sent['method'], string][]) {
      const answer = await adapter().send({ method, path });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.body).toEqual({ error: { code: 'NOT_FOUND', message: `no churnkit route at ${path.split('?')[0]}` } });
    }
  });

  it('answers a known path asked with another method with the JSON 405 and Allow', async () => {
    const cases: [Sent['method'], string, string][] = [
      ['GET', '/churn/score', 'POST'],
      ['DELETE', '/churn/score/batch', 'POST'],
      ['PATCH', '/churn/events', 'POST'],
      ['POST', '/churn/healthz', 'GET'],
      ['POST', '/churn/model', name === 'Express' ? 'GET, PUT' : 'GET'],
      ...(name === 'Express' ? ([['POST', '/churn/metrics', 'GET'], ['GET', '/churn/outcomes', 'POST'], ['GET', '/churn/customers/erase', 'POST']] as [Sent['method'], string, string][]) : []),
    ];
    for (const [method, path, allow] of cases) {
      const answer = await adapter().send({ method, path });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers['allow']).toBe(allow);
      expect(answer.body).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: `${path} answers ${allow}, not ${method}` } });
    }
  });
});

describe('the Express router alone', () => {
  it('answers 413 as soon as a body declared past the limit starts, not once it has all come in', async () => {
    const app = express().use('/churn', adapters.express.plugin.router());
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      // 100 MB declared, a few bytes sent, the rest never: the answer must not wait for it.
      const request = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/churn/events', headers: { 'content-type': 'application/json', 'content-length': String(100_000_000) } });
      request.on('error', () => {});
      request.write('{"events": [');
      // Without the early answer, none comes while the body is still due: the wait is bounded, not timed.
      const [response] = (await once(request, 'response', { signal: AbortSignal.timeout(10_000) })) as [IncomingMessage];
      let text = '';
      for await (const chunk of response) text += String(chunk);
      expect(response.statusCode).toBe(413);
      expect(JSON.parse(text)).toEqual({ error: { code: 'BODY_TOO_LARGE', message: 'request body exceeds the size limit' } });
      request.destroy();
    } finally {
      server.close();
    }
  });

  // What `curl -X POST -H 'Content-Type: application/json' URL` sends. Express's JSON parser
  // skips a request without a body, so the route used to get `undefined` and answer
  // INVALID_BODY "expected object, received undefined" (PUT /model: its own INVALID_BODY).
  it('answers a JSON request with no body at all (no Content-Length, no Transfer-Encoding) as the fetch handler does: 400 INVALID_JSON', async () => {
    const app = express().use('/churn', adapters.express.plugin.router());
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const empty = { error: { code: 'INVALID_JSON', message: 'request body is empty; expected a JSON object or array' } };
      for (const [method, path] of [['POST', '/churn/score'], ['POST', '/churn/score/batch'], ['POST', '/churn/events'], ['POST', '/churn/outcomes'], ['POST', '/churn/customers/erase'], ['PUT', '/churn/model'], ['PUT', '/churn/challenger']]) {
        const socket = connect(port, '127.0.0.1');
        // Written, not ended: the server closes the connection once it has answered (Connection: close).
        socket.write(`${method} ${path} HTTP/1.1\r\nHost: shop.test\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n`);
        let raw = '';
        for await (const chunk of socket) raw += String(chunk);
        const [head = '', body = ''] = raw.split('\r\n\r\n');
        expect({ path, status: head.split(' ')[1], body: JSON.parse(body) as unknown }).toEqual({ path, status: '400', body: empty });
      }
      const viaFetch = await adapters.fetch.handler.fetch(new Request('http://shop.test/churn/score', { method: 'POST', headers: { 'content-type': 'application/json' } }));
      expect({ status: viaFetch.status, body: await viaFetch.json() }).toEqual({ status: 400, body: empty });
    } finally {
      server.close();
    }
  });

  // Most storefronts parse JSON app-wide. That parser reads an empty body as {} before the
  // router's own parser (which then skips the request) could refuse it, and a score request
  // was answered with the anonymous prior, 200, where the fetch handler answers 400.
  it('refuses an empty body behind an app-wide express.json() too, as the fetch handler does', async () => {
    const behindParser = viaExpress(express().use(express.json()).use('/churn', adapters.express.plugin.router()));
    for (const path of ['/churn/score', '/churn/score/batch', '/churn/events']) {
      const [fromExpress, fromFetch] = await Promise.all([behindParser.send({ method: 'POST', path, body: '' }), adapters.fetch.send({ method: 'POST', path, body: '' })]);
      expect({ path, status: fromExpress.status, body: fromExpress.body }).toEqual({ path, status: 400, body: { error: { code: 'INVALID_JSON', message: 'request body is empty; expected a JSON object or array' } } });
      expect({ path, status: fromFetch.status, body: fromFetch.body }).toEqual({ path, status: fromExpress.status, body: fromExpress.body });
    }
    // A body the app's parser read is still the route's.
    expect((await behindParser.send({ method: 'POST', path: '/churn/score', body: JSON_BODY })).body).toMatchObject({ status: 'ok', customerId: 'c1' });
  });

  it('writes POST answers as compact JSON with a Content-Length and no ETag, and leaves GET answers to Express (ETag included)', async () => {
    for (const [path, body] of [['/churn/score', JSON_BODY], ['/churn/score/batch', { items: [JSON_BODY, { customerId: 'c2' }] }], ['/churn/nowhere', JSON_BODY]] as const) {
      const answer = await adapters.express.send({ method: 'POST', path, body });
      expect(answer.headers['content-type'], path).toBe('application/json; charset=utf-8');
      expect(answer.headers['etag'], path).toBeUndefined();
      expect(answer.headers['content-length'], path).toBe(String(Buffer.byteLength(answer.text)));
      expect(answer.text, path).toBe(JSON.stringify(answer.body));
    }
    const health = await adapters.express.send({ method: 'GET', path: '/churn/healthz' });
    expect(health.status).toBe(200);
    expect(health.headers['etag']).toMatch(/^W\/"/);
  });

  it('answers the routes only the fetch handler lacks, and the admin check still comes before the content type', async () => {
    const unauthorised = await adapters.express.send({ method: 'PUT', path: '/churn/model', body: 'x', contentType: 'text/plain' });
    expect(unauthorised.status).toBe(401);
    const swapped = await adapters.express.send({ method: 'PUT', path: '/churn/model', body: await testModelFile('test-v2'), headers: admin });
    expect(swapped.status).toBe(200);
    expect((await adapters.fetch.send({ method: 'PUT', path: '/churn/model', body: await testModelFile('test-v2') })).status).toBe(405);
  });
});
