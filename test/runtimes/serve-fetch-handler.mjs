// churnkit/fetch served by Deno.serve or Bun.serve, wired as docs/edge.md wires it (the memory
// store), plus what a test needs to see inside: GET /heard gives what onError heard and how many
// requests the handler has answered (a client that went away reads no answer, but the handler
// still finishes with one).
import { churnHandler, memoryStore } from 'churnkit/fetch';
import kernel from 'churnkit/wasm/simd';
import model from './model.json' with { type: 'json' };

const heard = [];
let answered = 0;
const churn = churnHandler({ model, engine: { kernel }, store: memoryStore(), onError: (error, { code }) => heard.push(`${code}: ${error}`) });
await churn.ready();

async function handle(request) {
  // Not through new URL(): a request with a broken Host header has a URL that does not parse.
  if (request.url.endsWith('/heard')) return Response.json({ answered, heard });
  try {
    return await churn.fetch(request);
  } finally {
    answered += 1;
  }
}

const listening = (port) => console.log(`Listening on http://127.0.0.1:${port}/`);
if (globalThis.Deno) Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => listening(port) }, handle);
else listening(Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handle }).port);
