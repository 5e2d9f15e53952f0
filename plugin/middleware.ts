/**
 * `req.churn`: the churn assessment of the customer behind a request, computed lazily.
 *
 * The middleware only installs a memoised getter; the store read, scoring and policy
 * run the first time a route reads `req.churn`, and at most once per request. Routes
 * that never read it (static files, checkout, health checks) pay for one property
 * definition and nothing else, without the storefront having to list which routes
 * want scoring.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { assess, type ChurnAssessment } from './assess.js';
import type { PluginContext } from './context.js';
import type { RawRecord } from './serving-model.js';

/** Builds the middleware that installs `req.churn`. */
export function createMiddleware(context: PluginContext): RequestHandler {
  return function churnMiddleware(req: Request, _res: Response, next: NextFunction): void {
    let memo: Promise<ChurnAssessment> | undefined;
    Object.defineProperty(req, 'churn', {
      configurable: true,
      enumerable: false,
      get: () => (memo ??= assessRequest(context, req)),
    });
    next();
  };
}

async function assessRequest(context: PluginContext, req: Request): Promise<ChurnAssessment> {
  let customerId: string | null = null;
  let record: RawRecord | null = null;
  try {
    customerId = normaliseId(context.options.identify(req));
    record = context.options.features?.(req) ?? null;
  } catch (error) {
    return unavailable(context, customerId, 'HOOK_ERROR', `identify/features hook threw: ${messageOf(error)}`);
  }
  let model;
  try {
    // Captured once: a model swapped mid-request does not change this request's answer.
    const current = context.slot.current();
    model = current instanceof Promise ? await current : current;
  } catch (error) {
    return unavailable(context, customerId, 'MODEL_UNAVAILABLE', `model failed to load: ${messageOf(error)}`);
  }
  return assess(context, { customerId, record, model });
}

function normaliseId(id: unknown): string | null {
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return typeof id === 'string' && id.length > 0 ? id : null;
}

function unavailable(context: PluginContext, customerId: string | null, code: string, reason: string): ChurnAssessment {
  context.metrics.failOpen.inc({ reason: code });
  return { status: 'unavailable', customerId, code, reason };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
