/**
 * The serving core every adapter wraps (Express, fetch, Hono): one model slot and the
 * engine behind it (every model checked against the store), the store behind the customer
 * cache (and, when asked, behind keyed customer ids), the policy, the body schemas.
 * An adapter brings only what its platform decides: how the kernel is found, whether model
 * paths can be read, where metrics go, and which store is opened when none is given.
 */
import type { LoadEngineOptions } from '../src/engine/load-engine.js';
import type { Engine } from '../src/engine/types.js';
import { ChurnkitError, OptionsError } from '../src/errors.js';
import { createChallenger, requireChallengerLog } from './challenger/challenger.js';
import { sharedChallengerReport } from './challenger/shared-report.js';
import { assess, type ChurnAssessment } from './assess.js';
import { refuseUnusableId } from './assess-request.js';
import type { PluginContext } from './context.js';
import { createDriftMonitor } from './drift/drift-monitor.js';
import { InputCoverage } from './input-coverage.js';
import { engineProvider, loadServingModel, type ModelLoader } from './load-model.js';
import type { ServingMetrics } from './metrics.js';
import { checkModelFit } from './model-fit.js';
import { createModelSlot } from './model-slot.js';
import type { ResolvedServingOptions } from './options.js';
import { createBudgetRefusals } from './policy/budget-refusals.js';
import type { RawRecord, ServingModel } from './serving-model.js';
import { cacheCustomerReads } from './store/customer-cache.js';
import { keyCustomerIds } from './store/keyed-customer-ids.js';
import { storeOpenedLater, type StoreOpenedLater } from './store/opened-later.js';
import { StoreHealth } from './store-health.js';
import type { ChurnStore } from './store/types.js';
import { bodySchemas } from './validation/bodies.js';

/** What an adapter decides for its platform. */
export interface ServingSetup<Req> {
  options: ResolvedServingOptions<Req>;
  metrics: ServingMetrics;
  /** Loads the kernel, when a model file has to be loaded and no `Engine` was given. */
  loadEngine: (options: LoadEngineOptions) => Promise<Engine>;
  /** Reads a model file path (Node only). */
  readModelFile?: (path: string) => Promise<string | Uint8Array>;
  /** Opens the store when none was given; called only once the model has loaded. */
  openDefaultStore?: () => Promise<ChurnStore>;
  /** Keeps a swapped model file for the next start (Node, when asked for). */
  saveModel?: (file: unknown) => Promise<void>;
}

/** A running serving core. */
export interface Serving {
  context: PluginContext;
  /** Resolves once the model is loaded and the store open; rejects with why not. */
  ready(): Promise<void>;
  /** The model serving right now. */
  model(): Promise<ServingModel>;
  /** Scores outside a request (jobs, tests): the same path as a request's assessment. */
  assess(customerId: string | null, record?: RawRecord): Promise<ChurnAssessment>;
  /** Closes the store if this core opened it (the default store), never one it was given. */
  close(): Promise<void>;
}

/**
 * Starts loading the model and builds the shared context.
 *
 * @example
 * const serving = createServing({ options: resolved, metrics: uncountedMetrics, loadEngine });
 * await serving.ready();
 */
export function createServing<Req>(setup: ServingSetup<Req>): Serving {
  const { options } = setup;
  const loader: ModelLoader = { engine: engineProvider(options.engine, setup.loadEngine), ...(setup.readModelFile ? { readModelFile: setup.readModelFile } : {}) };
  // Every model enters through here, the first and each swap: loaded, then checked against the store.
  const loadFitting = async (source: unknown) => {
    const model = await loadServingModel(source, loader);
    checkModelFit(model, options.modelFit);
    return model;
  };
  const initialModel = loadFitting(options.model);
  const slot = createModelSlot(initialModel);
  const opening: Promise<ChurnStore> =
    options.store === undefined
      ? initialModel.then(
          () => openDefault(setup.openDefaultStore),
          (error: unknown) => {
            throw new ChurnkitError('STORE_NOT_OPEN', 'the store was not opened, because the model did not load (ready() says why)', { cause: error });
          },
        )
      : Promise.resolve(options.store);
  const ownStore: StoreOpenedLater | undefined = options.store === undefined ? storeOpenedLater(opening) : undefined;
  const rawStore = options.store ?? ownStore!;
  const keyedStore = options.customerIds === undefined ? rawStore : keyCustomerIds(rawStore, options.customerIds.hmacKey);
  const store = cacheCustomerReads(keyedStore, { ttlMs: options.cacheTtlMs, maxAgeMs: options.cacheMaxAgeMs, clock: options.clock });
  // The store itself, for its optional logs, with the plugin's keyed ids when it keys them:
  // wrapped once, on first use (a promise made up front would reject unobserved when the
  // model fails to load).
  let backing: Promise<ChurnStore> | undefined;
  const backingStore = () =>
    (backing ??= options.customerIds === undefined ? opening : opening.then((opened) => keyCustomerIds(opened, options.customerIds!.hmacKey)));
  const context: PluginContext = {
    slot,
    loadModel: loadFitting,
    ...(setup.saveModel ? { saveModel: setup.saveModel } : {}),
    store,
    policy: options.policy,
    budgetRefusals: createBudgetRefusals(),
    bands: options.bands,
    storeTimeoutMs: options.storeTimeoutMs,
    clock: options.clock,
    metrics: setup.metrics,
    // Counting happens after the answer: a failure there is counted, never served.
    drift: createDriftMonitor(options.drift, () => setup.metrics.failOpen.inc({ reason: 'DRIFT_ERROR' }), options.batchLimit),
    challenger: createChallenger(options.challengerSample, backingStore, () => setup.metrics.failOpen.inc({ reason: 'CHALLENGER_ERROR' })),
    schemas: bodySchemas(options.batchLimit),
    challengerSample: options.challengerSample,
    challengerReport: sharedChallengerReport({ store: backingStore, settle: () => context.challenger.settle(), definition: options.churnDefinition, clock: options.clock }),
    backingStore,
    eventTimes: options.eventTimes,
    modelFit: options.modelFit,
    inputCoverage: new InputCoverage(),
    onError: options.onError,
    storeHealth: new StoreHealth(),
  };
  const challengerLoaded = options.challenger === undefined ? Promise.resolve() : loadChallenger(context, options.challenger);
  challengerLoaded.catch(() => undefined);
  return {
    context,
    ready: async () => {
      await slot.current();
      await ownStore?.opened;
      await challengerLoaded;
    },
    model: async () => slot.current(),
    assess: async (customerId, record) => refuseUnusableId(context, customerId) ?? assess(context, { customerId, record: record ?? null, model: await slot.current() }),
    close: async () => {
      await context.challenger.settle();
      await ownStore?.close();
    },
  };
}

/**
 * Loads the `challenger` option once the store is open, and refuses a store that cannot log its
 * scores; checked against the store as every model is (`PUT /challenger` refuses the same file).
 */
async function loadChallenger(context: PluginContext, source: unknown): Promise<void> {
  requireChallengerLog(await context.backingStore());
  context.challenger.set(await context.loadModel(source));
}

function openDefault(open: (() => Promise<ChurnStore>) | undefined): Promise<ChurnStore> {
  if (open === undefined) throw new OptionsError('PLUGIN_OPTIONS', 'no store was given, and this adapter opens none by default: pass the "store" option');
  return open();
}
