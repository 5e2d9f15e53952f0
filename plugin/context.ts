/** What the assessment and every route share: built once per plugin by `createServing()`, read on every request. */
import type { ChallengerReport } from './challenger/compare-challenger.js';
import type { EventTimePolicy } from '../src/events/event-time-policy.js';
import type { AssessContext } from './assess.js';
import type { ModelFitPolicy } from './model-fit.js';
import type { ModelSlot } from './model-slot.js';
import type { ServingModel } from './serving-model.js';
import type { ChurnStore } from './store/types.js';
import type { bodySchemas } from './validation/bodies.js';

export interface PluginContext extends AssessContext {
  slot: ModelSlot;
  /** Loads a model file object on the plugin's engine and checks it fits the store (`PUT /model`). */
  loadModel(source: unknown): Promise<ServingModel>;
  /**
   * Present when swapped models are kept (Express `saveSwappedModel`): writes the model file
   * durably, replacing the old one in one step, before the swap; a restart then serves it.
   */
  saveModel?: (file: unknown) => Promise<void>;
  schemas: ReturnType<typeof bodySchemas>;
  /** Share of identified customers' scorings the challenger scores. */
  challengerSample: number;
  /** `GET /challenger`'s comparison, labelled with the plugin's `churnDefinition`, shared by concurrent callers and reused briefly (`challenger/shared-report.ts`). */
  challengerReport(): Promise<ChallengerReport>;
  /** The store itself (no read cache), once open: for its optional logs (challenger scores). */
  backingStore(): Promise<ChurnStore>;
  /** The event times `POST /events` (and an outcome's `ts`) accepts. */
  eventTimes: EventTimePolicy;
  /** How models are checked against the store; null when the check is off. */
  modelFit: ModelFitPolicy | null;
}
