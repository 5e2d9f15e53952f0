/** What the middleware and every route share: built once by `churn()`, read on every request. */
import type { Engine } from '../src/engine/types.js';
import type { AssessContext } from './assess.js';
import type { ModelSlot } from './model-slot.js';
import type { ResolvedOptions } from './options.js';
import type { bodySchemas } from './validation/bodies.js';

export interface PluginContext extends AssessContext {
  options: ResolvedOptions;
  slot: ModelSlot;
  engine: () => Promise<Engine>;
  schemas: ReturnType<typeof bodySchemas>;
}
