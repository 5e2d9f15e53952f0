/**
 * The child process of the model-swap kill -9 test: a storefront whose plugin keeps swapped
 * models (`saveSwappedModel`), so `PUT /churn/model` writes the model file before it serves.
 * Prints its port on stdout once listening.
 * Usage: node --import ./store/register-typescript.mjs swap-server.ts <modelPath> <adminToken>
 */
import express from 'express';
import { listenAndPrintPort } from './store/child-server.js';
import { churn } from '../../plugin/express/index.js';
import { memoryStore } from '../../plugin/store/memory-store.js';
import { TEST_MODEL_FIT } from './test-model.js';

const [modelPath, adminToken] = process.argv.slice(2);
if (!modelPath || !adminToken) throw new Error('usage: swap-server.ts <modelPath> <adminToken>');

const plugin = churn({
  model: modelPath,
  saveSwappedModel: true,
  adminToken,
  store: memoryStore(),
  engine: { fallback: 'js' },
  modelFit: TEST_MODEL_FIT,
  identify: (req) => req.get('x-customer-id'),
});
await plugin.ready();
const app = express();
app.use('/churn', plugin.router());
listenAndPrintPort(app);
