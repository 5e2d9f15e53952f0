/**
 * The child process of the kill -9 test: a storefront with the churnkit plugin, whose
 * POST /churn/events answers 2xx only once the events are durable. Its store is SQLite in
 * `dataDir` (the plugin's default) or Redis at a URL. Prints its port on stdout once listening.
 * Usage: node --import ./register-typescript.mjs durable-events-server.ts sqlite <dataDir> <modelPath>
 *        node --import ./register-typescript.mjs durable-events-server.ts redis <url> <modelPath>
 */
import express from 'express';
import { listenAndPrintPort } from './child-server.js';
import { churn } from '../../../plugin/express/index.js';
import { openRedisStore } from '../../../plugin/store/redis-store.js';

const [kind, where, modelPath] = process.argv.slice(2);
if ((kind !== 'sqlite' && kind !== 'redis') || !where || !modelPath) {
  throw new Error('usage: durable-events-server.ts sqlite <dataDir> <modelPath> | redis <url> <modelPath>');
}

const identify = (req: express.Request) => req.get('x-customer-id');
const plugin =
  kind === 'sqlite'
    ? churn({ model: modelPath, dataDir: where, identify })
    : churn({ model: modelPath, store: await openRedisStore({ url: where, keyPrefix: 'kill9:' }), identify });
await plugin.ready();
const app = express();
app.use('/churn', plugin.router());
listenAndPrintPort(app);
