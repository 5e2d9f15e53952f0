/**
 * The churn definition and the plugin's `churnDefinition` option: what "churned" means for this store, said once and used by
 * everything that labels customers from the store's event log: `GET /challenger`'s
 * comparison and the Express plugin's scheduled retraining. A customer scored (or cut off)
 * at `t` churned when no `active` event falls in [t + gap, t + horizon).
 */
import { durationField } from './validation/duration.js';
import { z } from './validation/zod.js';

/** The churn definition, as `churnkit retrain` takes it (`--horizon`, `--gap`, `--active`). */
export interface ChurnDefinition {
  horizon: string;
  gap: string;
  active: readonly string[];
}

/** `churnkit retrain`'s defaults. */
export const DEFAULT_CHURN_DEFINITION: ChurnDefinition = { horizon: '90d', gap: '0d', active: ['order'] };

/** The `churnDefinition` option as a storefront writes it; unset fields keep `churnkit retrain`'s defaults. */
export interface ChurnDefinitionOptions {
  /** How long after a score a customer must show activity to count as retained. Default `90d`. */
  horizon?: string;
  /** Time after the score before the window opens. Default `0d`. */
  gap?: string;
  /** The event types that count as activity. Default `['order']`. */
  active?: string[];
}

/** The zod field of the `churnDefinition` option. */
export const churnDefinitionField = z
  .strictObject({
    horizon: durationField(1, 'horizon').optional(),
    gap: durationField(0, 'gap').optional(),
    active: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'expected event type names')).min(1).max(100).optional(),
  })
  .optional();

/**
 * The parsed option with the defaults filled in.
 *
 * @example
 * resolveChurnDefinition({ horizon: '60d' }); // { horizon: '60d', gap: '0d', active: ['order'] }
 */
export function resolveChurnDefinition(value: z.output<typeof churnDefinitionField>): ChurnDefinition {
  return {
    horizon: value?.horizon ?? DEFAULT_CHURN_DEFINITION.horizon,
    gap: value?.gap ?? DEFAULT_CHURN_DEFINITION.gap,
    active: value?.active ?? DEFAULT_CHURN_DEFINITION.active,
  };
}
