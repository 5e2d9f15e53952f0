/**
 * `GET /drift`: the population stability index of live traffic against the serving model's
 * reference distribution, per input column and for the score, with the usual bands (below 0.1
 * stable, 0.1 to 0.25 watch, above 0.25 act) and each bin's reference and live shares. Counted
 * in this process (or isolate) over the last customers it scored. 200 with `available: false`
 * and the reason when nothing can be measured (a model without a reference, drift turned off).
 */
import { jsonAnswer } from '../validation/http-error.js';
import { withModel, type Route } from './route.js';

export const driftRoute: Route = {
  method: 'GET',
  path: '/drift',
  handle: (context) => withModel(context, (model) => jsonAnswer(context.drift.report(model))),
};
