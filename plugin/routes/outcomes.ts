/**
 * `POST /outcomes`: whether a customer was retained, for the lift report. An outcome is
 * accepted only for a decision the store logged: it is attributed to the customer's latest
 * logged decision at or before the outcome's time (or, when the body names an action and/or
 * group, the latest logged decision that matches them). An outcome for a customer with no
 * such decision is refused (409 `NO_LOGGED_DECISION`) and nothing is stored, so nobody can
 * invent an action or an arm and have it counted in `GET /report`.
 */
import { excerpt } from '../../src/errors.js';
import type { Decision, Outcome } from '../store/types.js';
import { checkEventTime } from '../validation/event-time.js';
import { errorAnswer, inputErrorAnswer, inputErrorFromZod, jsonAnswer } from '../validation/http-error.js';
import { storeFailed, type Route } from './route.js';

export const outcomesRoute: Route = {
  method: 'POST',
  path: '/outcomes',
  body: 'json',
  async handle(context, body) {
    const parsed = context.schemas.outcome.safeParse(body);
    if (!parsed.success) return inputErrorAnswer(inputErrorFromZod(parsed.error));
    const value = parsed.data;
    const now = context.clock();
    const ts = value.ts ?? now;
    try {
      checkEventTime(ts, 'ts', context.eventTimes, now);
    } catch (error) {
      return inputErrorAnswer(error);
    }
    // "none" and null both mean "no action"; absent means "whatever the decision was".
    const claimed = { action: value.action === undefined ? undefined : value.action === 'none' ? null : value.action, group: value.group };
    let decision: Decision | undefined;
    try {
      decision = latestMatching(await context.store.decisionsSince(value.customerId, 0), ts, claimed);
    } catch (error) {
      return storeFailed(context, 'outcome was not stored', error, value.customerId);
    }
    if (decision === undefined) {
      return errorAnswer(409, 'NO_LOGGED_DECISION', `customer "${excerpt(value.customerId)}" has no logged decision${describeClaim(claimed)} at or before ${new Date(ts).toISOString()}: outcomes are accepted only for decisions the policy logged`);
    }
    const outcome: Outcome = { customerId: value.customerId, ts, retained: value.retained, action: decision.action, group: decision.group };
    if (value.value !== undefined) outcome.value = value.value;
    try {
      await context.store.recordOutcome(outcome);
    } catch (error) {
      return storeFailed(context, { notDone: 'outcome was not stored', mayBeDone: 'the outcome may have been stored' }, error, value.customerId);
    }
    return jsonAnswer({ recorded: true, action: decision.action ?? 'none', group: decision.group }, 201);
  },
};

interface Claim {
  action: string | null | undefined;
  group: Decision['group'] | undefined;
}

/** The newest decision at or before `ts` that agrees with what the outcome claims. */
function latestMatching(decisions: readonly Decision[], ts: number, claim: Claim): Decision | undefined {
  let latest: Decision | undefined;
  for (const decision of decisions) {
    if (decision.ts > ts) continue;
    if (claim.action !== undefined && decision.action !== claim.action) continue;
    if (claim.group !== undefined && decision.group !== claim.group) continue;
    if (latest === undefined || decision.ts >= latest.ts) latest = decision;
  }
  return latest;
}

function describeClaim(claim: Claim): string {
  const parts = [
    ...(claim.action !== undefined ? [`action "${excerpt(claim.action ?? 'none')}"`] : []),
    ...(claim.group !== undefined ? [`group "${claim.group}"`] : []),
  ];
  return parts.length === 0 ? '' : ` for ${parts.join(' in ')}`;
}
