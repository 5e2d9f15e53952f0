/** A storefront's churn API listening on a free local port, as the retrain tests reach it over HTTP. */
import type { Server } from 'node:http';
import express from 'express';
import type { ChurnPlugin } from '../../plugin/express/index.js';

export interface ListeningStorefront {
  /** e.g. `http://127.0.0.1:41234/churn` */
  base: string;
  close(): Promise<void>;
}

/** Mounts `plugin.router()` under `/churn` and listens on port 0 of 127.0.0.1. */
export async function listenStorefront(plugin: ChurnPlugin): Promise<ListeningStorefront> {
  const app = express();
  app.use('/churn', plugin.router());
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  return {
    base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/churn`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
