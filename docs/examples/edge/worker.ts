// A Cloudflare Worker serving churnkit's scoring API at /churn/* and a product page that
// reads the shopper's assessment. State lives in a Durable Object (strongly consistent,
// atomic budget) or in Workers KV (eventually consistent, read-mostly): keep the one you need.
import { churnHandler, type ChurnHandler } from 'churnkit/fetch';
import {
  durableObjectStore,
  kvStore,
  type DurableObjectNamespaceBinding,
  type KvNamespaceBinding,
} from 'churnkit/stores/cloudflare';
import kernel from 'churnkit/wasm/simd'; // imported as a WebAssembly.Module
import model from './churn-model.json';

// The Durable Object class must be exported by the Worker's main module.
export { ChurnStoreObject } from 'churnkit/stores/cloudflare';

interface Env {
  CHURN_STORE: 'durable-object' | 'kv';
  CHURN_STATE: DurableObjectNamespaceBinding;
  CHURN_KV: KvNamespaceBinding;
}

// One handler per isolate, made on the first request (bindings arrive with it).
let churn: ChurnHandler | undefined;

function handlerFor(env: Env): ChurnHandler {
  return (churn ??= churnHandler({
    model,
    engine: { kernel },
    store: env.CHURN_STORE === 'kv' ? kvStore(env.CHURN_KV) : durableObjectStore(env.CHURN_STATE),
    identify: (request) => request.headers.get('x-customer-id'),
    policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.2 }] },
    dailyBudget: 400,
  }));
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const churn = handlerFor(env);
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/churn/')) return churn.fetch(request);
    if (pathname.startsWith('/products/')) {
      const assessment = await churn.assess(request);
      const offer = assessment.status === 'ok' ? assessment.action : null;
      return Response.json({ product: pathname.slice('/products/'.length), offer });
    }
    return new Response('not found', { status: 404 });
  },
};
