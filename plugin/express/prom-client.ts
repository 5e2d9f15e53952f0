/** prom-client, an optional peer dependency of churnkit/express, imported with a clear error when missing. */
import { importPeer } from '../optional-peer.js';

const promClient = await importPeer('prom-client', 'churnkit/express (metrics)', () => import('prom-client'));

export default promClient;
