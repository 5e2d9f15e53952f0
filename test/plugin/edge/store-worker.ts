// A Worker that only hosts the Durable Object store, for running the store behaviour suite against it.
export { ChurnStoreObject } from '../../../plugin/store/cloudflare/index.js';

export default {
  fetch: () => new Response('churnkit store test worker'),
};
