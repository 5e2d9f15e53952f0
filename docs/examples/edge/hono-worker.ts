// Hono on Cloudflare Workers: the churn assessment on the context of the routes that ask
// for it, and churnkit's scoring API mounted at /churn/*.
import { Hono } from 'hono';
import { churn, memoryStore } from 'churnkit/hono';
import kernel from 'churnkit/wasm/simd'; // imported as a WebAssembly.Module
import model from './churn-model.json';

const churnkit = churn({
  model,
  engine: { kernel },
  store: memoryStore(), // per isolate; use churnkit/stores/cloudflare to share state
  identify: (c) => c.req.header('x-customer-id'),
  policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.2 }] },
});

const app = new Hono();
app.all('/churn/*', (c) => churnkit.fetch(c.req.raw));
app.get('/products/:id', churnkit, (c) => {
  const churn = c.var.churn;
  return c.json({ product: c.req.param('id'), offer: churn.status === 'ok' ? churn.action : null });
});

export default app;
