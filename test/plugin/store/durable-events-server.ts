/**
 * The child process of the kill -9 test: an Express app that acknowledges POST /events
 * only after the SQLite store has committed them. Prints its port on stdout once listening.
 * Usage: node --import ./register-typescript.mjs durable-events-server.ts <dataDir>
 */
import express from 'express';
import type { ChurnEvent } from '../../../src/events/types.js';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: durable-events-server.ts <dataDir>');
const store = openSqliteStore({ dataDir });

const app = express();
app.use(express.json());
app.post('/events', async (req, res) => {
  const events = (req.body as { events: ChurnEvent[] }).events;
  await store.appendEvents(events);
  res.status(202).json({ accepted: events.length });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`${address.port}\n`);
});
