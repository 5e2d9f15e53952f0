import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { answerErrors } from '../../../plugin/demo/answer-errors.js';

/** An app whose routes fail as the demo's can, behind the demo's error handler. */
function failingApp(log: (line: string) => void) {
  const app = express();
  app.get('/items/:id', (_req, res) => {
    res.send('never reached for an undecodable id');
  });
  app.get('/broken', () => {
    throw new Error('ENOENT: no such file /srv/shop/node_modules/secret.json');
  });
  app.get('/refused', () => {
    throw Object.assign(new Error('range not satisfiable here'), { status: 416, expose: true });
  });
  app.use(answerErrors(log));
  return app;
}

describe("demo app's error answers", () => {
  it('answers an undecodable URL 400 BAD_REQUEST without quoting it', async () => {
    const logged: string[] = [];
    const response = await request(failingApp((line) => logged.push(line))).get('/items/%E0%A4%A');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: 'BAD_REQUEST', message: 'the URL is not valid percent-encoding' } });
    expect(logged).toEqual([]);
  });

  it("keeps a client error's own status, and its message when it is meant to be shown", async () => {
    const response = await request(failingApp(() => {})).get('/refused');
    expect(response.status).toBe(416);
    expect(response.body).toEqual({ error: { code: 'BAD_REQUEST', message: 'range not satisfiable here' } });
  });

  it('answers anything else 500 INTERNAL with a fixed sentence, and logs the error with its stack on the server', async () => {
    const logged: string[] = [];
    const response = await request(failingApp((line) => logged.push(line))).get('/broken');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error in the demo store' } });
    expect(response.text).not.toContain('node_modules');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^GET \/broken failed: Error: ENOENT: no such file \/srv\/shop\/node_modules\/secret\.json\n\s+at /);
  });
});
