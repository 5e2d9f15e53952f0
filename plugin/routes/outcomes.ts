/** `POST /outcomes`: whether a customer was retained, for the lift report. */
import { messageOf } from '../assess.js';
import type { Outcome } from '../store/types.js';
import { errorAnswer, inputErrorAnswer, inputErrorFromZod, jsonAnswer } from '../validation/http-error.js';
import type { Route } from './route.js';

export const outcomesRoute: Route = {
  method: 'POST',
  path: '/outcomes',
  body: 'json',
  async handle(context, body) {
    const parsed = context.schemas.outcome.safeParse(body);
    if (!parsed.success) return inputErrorAnswer(inputErrorFromZod(parsed.error));
    const value = parsed.data;
    const outcome: Outcome = { customerId: value.customerId, ts: value.ts ?? context.clock(), retained: value.retained };
    // "none" and null both mean "no action"; absent means "the customer's latest decision".
    if (value.action !== undefined) outcome.action = value.action === 'none' ? null : value.action;
    if (value.group !== undefined) outcome.group = value.group;
    if (value.value !== undefined) outcome.value = value.value;
    try {
      await context.store.recordOutcome(outcome);
    } catch (error) {
      return errorAnswer(503, 'STORE_ERROR', `outcome was not stored: ${messageOf(error)}`);
    }
    return jsonAnswer({ recorded: true }, 201);
  },
};
