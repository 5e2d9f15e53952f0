/**
 * The child process of the kill -9 test: a storefront with the churnkit plugin on its
 * default store (SQLite in `dataDir`), whose POST /churn/events answers 2xx only once the
 * events are durable. Prints its port on stdout once listening.
 * Usage: node --import ./register-typescript.mjs durable-events-server.ts <dataDir> <modelPath>
 */
import express from 'express';
import { churn } from '../../../plugin/express/index.js';

const [dataDir, modelPath] = process.argv.slice(2);
if (!dataDir || !modelPath) throw new Error('usage: durable-events-server.ts <dataDir> <modelPath>');

const plugin = churn({ model: modelPath, dataDir, identify: (req) => req.get('x-customer-id') });
await plugin.ready();
const app = express();
app.use(plugin);
app.use('/churn', plugin.router());
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`${address.port}\n`);
});
