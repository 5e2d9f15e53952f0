// churnkit's scoring API on Bun: bun run bun.ts
import { churnHandler, memoryStore } from 'churnkit/fetch';
import kernel from 'churnkit/wasm/simd'; // the bytes in Bun
import model from './churn-model.json';

const churn = churnHandler({ model, engine: { kernel }, store: memoryStore() });
await churn.ready(); // fails fast, naming why, if the model or the kernel cannot load

const server = Bun.serve({ hostname: '127.0.0.1', port: Number(process.env.PORT ?? 3000), fetch: (request) => churn.fetch(request) });
console.log(`Listening on ${server.url}`);
