/**
 * A request's assessment, whatever the framework: the adapter's `identify` and `features`
 * hooks read the request, the model is captured once, then `assessNow`. Shared by the
 * Express middleware (`req.churn`, `scoreRoute()`), the Hono middleware (`c.var.churn`)
 * and the fetch handler's `assess(request)`.
 */
import { assessNow, failOpen, type ChurnAssessment } from './assess.js';
import type { PluginContext } from './context.js';
import { CUSTOMER_ID_MAX_LENGTH, CUSTOMER_ID_NOT_TEXT, isUnicodeText } from './customer-id.js';
import { ChurnkitError } from '../src/errors.js';
import type { RawRecord } from './serving-model.js';

/** The adapter's hooks: who the customer is, and what the request itself knows. */
export interface RequestHooks<Req> {
  identify: (req: Req) => string | null | undefined;
  features: ((req: Req) => RawRecord) | undefined;
}

/**
 * Synchronous when the answer is (remembered, or a failed hook); never rejects.
 *
 * @example
 * const churn = assessRequest(context, { identify: (c) => c.req.header('x-customer-id'), features: undefined }, c);
 */
export function assessRequest<Req>(context: PluginContext, hooks: RequestHooks<Req>, req: Req): ChurnAssessment | Promise<ChurnAssessment> {
  let customerId: string | null = null;
  let record: RawRecord | null = null;
  try {
    customerId = normaliseId(hooks.identify(req));
    record = hooks.features?.(req) ?? null;
  } catch (error) {
    return failOpen(context, customerId, 'HOOK_ERROR', error);
  }
  const refused = refuseUnusableId(context, customerId);
  if (refused !== undefined) return refused;
  // Captured once: a model swapped mid-request does not change this request's answer.
  const current = context.slot.current();
  if (!(current instanceof Promise)) return assessNow(context, { customerId, record, model: current });
  return current.then(
    (model) => assessNow(context, { customerId, record, model }),
    (error: unknown) => failOpen(context, customerId, 'MODEL_UNAVAILABLE', error),
  );
}

/**
 * The fail-open answer for an id churnkit does not act on, else undefined: no route would
 * take it, to erase the customer or record their outcome, and a lone surrogate would make it
 * another customer in the store. Every way into an assessment checks it (a request's
 * `identify`, and `assess(customerId)` / the fetch handler's `score(customerId)`).
 *
 * @example
 * const refused = refuseUnusableId(context, 'c-\ud800'); // unavailable, INVALID_CUSTOMER_ID
 */
export function refuseUnusableId(context: PluginContext, customerId: string | null): ChurnAssessment | undefined {
  if (customerId !== null && customerId.length > CUSTOMER_ID_MAX_LENGTH) {
    return failOpen(context, null, 'INVALID_CUSTOMER_ID', new ChurnkitError('INVALID_CUSTOMER_ID', `an id of ${customerId.length} characters, at most ${CUSTOMER_ID_MAX_LENGTH} taken`));
  }
  if (customerId !== null && !isUnicodeText(customerId)) {
    return failOpen(context, null, 'INVALID_CUSTOMER_ID', new ChurnkitError('INVALID_CUSTOMER_ID', CUSTOMER_ID_NOT_TEXT));
  }
  return undefined;
}

/** The id as the routes read one: a finite number as text, a string trimmed; nothing left is anonymous. */
function normaliseId(id: unknown): string | null {
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  const trimmed = typeof id === 'string' ? id.trim() : '';
  return trimmed.length > 0 ? trimmed : null;
}
