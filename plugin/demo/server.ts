/**
 * The demo storefront (`npm start`): an Express store with the churnkit plugin mounted at
 * /churn, a product page scored per route (`plugin.scoreRoute()`), and a dashboard at `/`. On first start it
 * seeds its SQLite store with generated customers, their events, and a past week of
 * decisions and outcomes.
 *
 * Environment: PORT (default 3000), CHURNKIT_ADMIN_TOKEN (none: admin routes stay closed),
 * CHURNKIT_DATA_DIR (default ./data), CHURNKIT_MODEL (default models/storefront.json).
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import express, { type Request } from 'express';
import { ChurnkitError, OptionsError } from '../../src/errors.js';
import { packageRoot, shippedStorefrontModel } from '../../src/node/package-root.js';
import { churn, createExpressServer } from '../express/index.js';
import { resolveOptions } from '../express/options.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { answerErrors } from './answer-errors.js';
import { buildDashboard } from './dashboard-data.js';
import { DEMO_POLICY } from './demo-policy.js';
import { renderProductPage } from './product-page.js';
import { seedStore } from './seed-store.js';

/**
 * The last day of the demo's generated world, which is moved to end today: the generator
 * follows the calendar, so a world generated to end on the day of the demo would give other
 * customers every day, and docs/demo.md's example customer would tell another story.
 */
const DEMO_WORLD_END_DATE = '2026-12-02';

/** How to run the demo; every field has a default. */
export interface DemoOptions {
  /** 0 picks a free port. Default 3000. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  dataDir?: string;
  modelPath?: string;
  adminToken?: string;
  /** Customers generated on first start. Default 3000. */
  customers?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface RunningDemo {
  url: string;
  close(): Promise<void>;
}

/** The package's root: the same from `plugin/demo` (tests) and `dist/plugin/demo`. */
function demoRoot(): string {
  const folder = packageRoot();
  if (folder === null) throw new OptionsError('DEMO_ROOT', `no package.json above ${fileURLToPath(import.meta.url)}`);
  return folder;
}

/** The shopper behind a request: `x-customer-id` header, `?customer=` or the `customer` cookie. */
function identifyShopper(req: Request): string | undefined {
  const header = req.get('x-customer-id');
  if (header) return header;
  if (typeof req.query.customer === 'string' && req.query.customer.length > 0) return req.query.customer;
  const cookie = /(?:^|;\s*)customer=([^;]+)/.exec(req.get('cookie') ?? '');
  if (!cookie) return undefined;
  try {
    return decodeURIComponent(cookie[1]!);
  } catch {
    return undefined; // a malformed cookie is an anonymous shopper, not an error page
  }
}

/**
 * Loads the model, opens (and on first start seeds) the store, and starts listening.
 *
 * @example
 * const demo = await startDemo({ port: 0, dataDir: '/tmp/demo-data' });
 * console.log(`dashboard at ${demo.url}/`);
 * await demo.close();
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const root = demoRoot();
  const log = options.log ?? ((line: string) => console.log(line));
  const modelPath = resolve(options.modelPath ?? shippedStorefrontModel());
  const dataDir = options.dataDir ?? './data';
  if (!existsSync(modelPath)) {
    throw new OptionsError(
      'DEMO_MODEL',
      `no model file at ${modelPath}: set CHURNKIT_MODEL to a model trained on event features (churnkit generate → features → train)`,
    );
  }

  const store = openSqliteStore({ dataDir });
  const pluginOptions = {
    model: modelPath,
    store,
    identify: identifyShopper,
    ...DEMO_POLICY,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  };
  const resolved = resolveOptions(pluginOptions);
  const plugin = churn(pluginOptions);
  try {
    await plugin.ready();
  } catch (error) {
    await store.close();
    throw error;
  }
  const model = await plugin.model();
  log(`model ${model.version} from ${modelPath}`);
  // Seeding writes thousands of transactions that can simply be redone: through its own
  // connection without an fsync per commit. The serving store keeps full durability.
  const seedingStore = openSqliteStore({ dataDir, durability: 'normal' });
  try {
    await seedStore({
      store: seedingStore,
      model,
      policy: resolved.policy,
      customers: options.customers ?? 3000,
      seed: options.seed ?? 20261123,
      now: Date.now(),
      // One world whatever the date: docs/demo.md's customers and story are this world's.
      worldEndDate: DEMO_WORLD_END_DATE,
      log,
    });
  } finally {
    await seedingStore.close();
  }

  const app = express();
  app.disable('x-powered-by');
  app.use('/churn', plugin.router());
  const publicDir = join(root, 'plugin', 'demo', 'public');
  app.get('/', (_req, res) => res.sendFile(join(publicDir, 'dashboard.html')));
  app.use('/static', express.static(publicDir, { index: false }));
  app.get('/demo/dashboard.json', async (_req, res) => {
    res.json(
      await buildDashboard({
        store,
        // The plugin's current model: the dashboard follows a PUT /churn/model hot-swap.
        model: await plugin.model(),
        bands: resolved.bands,
        policy: resolved.policy,
        now: Date.now(),
        onUnreadable: (error, position) => log(`dashboard: left out the customer at position ${position} of the store's listing: ${error.message}`),
      }),
    );
  });
  app.get('/products/:id', plugin.scoreRoute(), renderProductPage);
  app.use(answerErrors(log));

  let server: Server;
  try {
    // Requests born as the app's own: Express then changes no prototype, and V8 frees them young (express-server.ts).
    server = await listen(createExpressServer(app), options.port ?? 3000, options.host ?? '127.0.0.1');
  } catch (error) {
    await store.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  log(`demo store on ${url}/ (dashboard), ${url}/products/p-100?customer=<id>, plugin at ${url}/churn`);
  if (!resolved.adminToken) log('CHURNKIT_ADMIN_TOKEN not set: admin routes (PUT /churn/model) are closed');
  return {
    url,
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeIdleConnections();
      });
      await store.close();
    },
  };
}

/**
 * Starts `server` listening; a port another program holds (a dev server on 3000), one that
 * needs privileges, or a host this machine does not have is a `DEMO_LISTEN` error saying what
 * to change, not an unhandled error event with a stack.
 */
function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((ready, fail) => {
    const refused = (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use (by another server?): start the demo on another port, e.g. PORT=${port + 1} npm start`
          : error.code === 'EACCES'
            ? `port ${port} needs privileges this process does not have: use a port above 1023, e.g. PORT=3000 npm start`
            : `cannot listen on ${host}:${port} (${error.code ?? error.message}): check HOST and PORT`;
      fail(new ChurnkitError('DEMO_LISTEN', reason, { cause: error }));
    };
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      ready(server);
    });
  });
}

/** `node dist/plugin/demo/server.js`: configuration from the environment. */
async function main(): Promise<void> {
  const port = process.env.PORT ? Number(process.env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a port number (0-65535), got "${process.env.PORT}"`);
  }
  const demo = await startDemo({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    dataDir: process.env.CHURNKIT_DATA_DIR ?? './data',
    ...(process.env.CHURNKIT_MODEL ? { modelPath: process.env.CHURNKIT_MODEL } : {}),
    ...(process.env.CHURNKIT_ADMIN_TOKEN ? { adminToken: process.env.CHURNKIT_ADMIN_TOKEN } : {}),
  });
  // Ctrl-C or a container stop: finish in-flight requests and close the store cleanly.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      demo.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
