// churnkit's scoring API on Deno: deno run --allow-net --allow-read --allow-env deno.ts
import { churnHandler, memoryStore } from 'churnkit/fetch';
import kernel from 'churnkit/wasm/simd'; // the kernel's bytes in Deno, inline in the module
import model from './churn-model.json' with { type: 'json' };

const churn = churnHandler({ model, engine: { kernel }, store: memoryStore() });
await churn.ready(); // fails fast, naming why, if the model or the kernel cannot load

Deno.serve({ hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8000) }, (request) => churn.fetch(request));
