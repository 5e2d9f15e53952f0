/**
 * createExpressServer's fallback: were node:http's IncomingMessage and ServerResponse
 * classes (not callable as functions), `expressServerClasses` gives node's own, and the
 * server is the one `app.listen` would create.
 */
import express from 'express';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:http', async (importOriginal) => {
  const http = await importOriginal<typeof import('node:http')>();
  class IncomingMessage extends http.IncomingMessage {}
  class ServerResponse extends http.ServerResponse {}
  return { ...http, IncomingMessage, ServerResponse };
});

describe('expressServerClasses on a Node whose request and response are classes', () => {
  it("gives node's own classes rather than constructors that would throw when called", async () => {
    const http = await import('node:http');
    const { expressServerClasses } = await import('../../plugin/express/express-server.js');
    const classes = expressServerClasses(express());
    expect(classes.IncomingMessage).toBe(http.IncomingMessage);
    expect(classes.ServerResponse).toBe(http.ServerResponse);
  });
});
