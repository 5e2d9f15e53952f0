/** `POST /outcomes`: whether a customer was retained, for the lift report. */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { PluginContext } from '../context.js';
import type { Outcome } from '../store/types.js';
import { inputErrorFromZod, sendError, sendInputError } from '../validation/http-error.js';

/** Mounts `POST /outcomes` on the plugin router. */
export function mountOutcomeRoutes(router: Router, context: PluginContext, jsonBody: RequestHandler[]): void {
  router.post('/outcomes', ...jsonBody, async (req: Request, res: Response) => {
    const parsed = context.schemas.outcome.safeParse(req.body);
    if (!parsed.success) return sendInputError(res, inputErrorFromZod(parsed.error));
    const body = parsed.data;
    const outcome: Outcome = { customerId: body.customerId, ts: body.ts ?? context.clock(), retained: body.retained };
    // "none" and null both mean "no action"; absent means "the customer's latest decision".
    if (body.action !== undefined) outcome.action = body.action === 'none' ? null : body.action;
    if (body.group !== undefined) outcome.group = body.group;
    if (body.value !== undefined) outcome.value = body.value;
    try {
      await context.store.recordOutcome(outcome);
    } catch (error) {
      return sendError(res, 503, 'STORE_ERROR', `outcome was not stored: ${error instanceof Error ? error.message : String(error)}`);
    }
    res.status(201).json({ recorded: true });
  });
}
