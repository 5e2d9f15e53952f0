/**
 * Which routes each adapter serves. The edge gets the ones that make sense in a stateless
 * isolate close to the shopper: scoring, events, health, the model's description and the
 * drift of the traffic this isolate scored. The Express plugin adds the outcomes, the lift
 * report, the admin-only model hot-swap (a swap in one isolate would not reach the others),
 * the challenger model beside it (its scores are logged in the Node stores) and customer
 * erasure, plus its Prometheus `/metrics`.
 */
import { clearChallengerRoute, compareChallengerRoute, setChallengerRoute } from './challenger.js';
import { driftRoute } from './drift.js';
import { eraseCustomerRoute } from './erase.js';
import { eventsRoute } from './events.js';
import { healthRoute } from './health.js';
import { describeModelRoute, replaceModelRoute } from './model.js';
import { outcomesRoute } from './outcomes.js';
import { reportRoute } from './report.js';
import type { Route } from './route.js';
import { batchScoreRoute, scoreRoute } from './score.js';

export const edgeRoutes: readonly Route[] = [scoreRoute, batchScoreRoute, eventsRoute, healthRoute, describeModelRoute, driftRoute];

export const serverRoutes: readonly Route[] = [
  ...edgeRoutes,
  outcomesRoute,
  reportRoute,
  replaceModelRoute,
  compareChallengerRoute,
  setChallengerRoute,
  clearChallengerRoute,
  eraseCustomerRoute,
];
