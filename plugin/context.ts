/** What the assessment and every route share: built once per plugin by `createServing()`, read on every request. */
import type { AssessContext } from './assess.js';
import type { ModelSlot } from './model-slot.js';
import type { ServingModel } from './serving-model.js';
import type { ChurnStore } from './store/types.js';
import type { bodySchemas } from './validation/bodies.js';

export interface PluginContext extends AssessContext {
  slot: ModelSlot;
  /** Loads a model file object on the plugin's engine (`PUT /model`). */
  loadModel(source: unknown): Promise<ServingModel>;
  schemas: ReturnType<typeof bodySchemas>;
  /** Share of identified customers' scorings the challenger scores. */
  challengerSample: number;
  /** The store itself (no read cache), once open: for its optional logs (challenger scores). */
  backingStore(): Promise<ChurnStore>;
}
