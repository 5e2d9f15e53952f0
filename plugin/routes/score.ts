/**
 * `POST /score` and `POST /score/batch`: the customer's stored features merged with the
 * given raw fields (the record wins); neither given → the population prior.
 */
import { assess, type AssessInput } from '../assess.js';
import type { ServingModel } from '../serving-model.js';
import type { ScoreItem } from '../validation/bodies.js';
import { inputErrorAnswer, inputErrorFromZod, jsonAnswer } from '../validation/http-error.js';
import { checkRecord } from '../validation/record.js';
import { withModel, type Route } from './route.js';

export const scoreRoute: Route = {
  method: 'POST',
  path: '/score',
  body: 'json',
  async handle(context, body) {
    const parsed = context.schemas.score.safeParse(body);
    if (!parsed.success) return inputErrorAnswer(inputErrorFromZod(parsed.error));
    return withModel(context, async (model) => {
      try {
        if (parsed.data.record) checkRecord(parsed.data.record, model, 'record');
      } catch (error) {
        return inputErrorAnswer(error);
      }
      return jsonAnswer(await assess(context, toInput(parsed.data, model)));
    });
  },
};

export const batchScoreRoute: Route = {
  method: 'POST',
  path: '/score/batch',
  body: 'json',
  async handle(context, body) {
    const parsed = context.schemas.batch.safeParse(body);
    if (!parsed.success) return inputErrorAnswer(inputErrorFromZod(parsed.error));
    return withModel(context, async (model) => {
      const items = parsed.data.items;
      try {
        items.forEach((item, index) => item.record && checkRecord(item.record, model, `items.${index}.record`));
      } catch (error) {
        return inputErrorAnswer(error);
      }
      const results = [];
      // One at a time: each item's decision sees the budget spent by the items before it.
      for (const item of items) results.push(await assess(context, toInput(item, model)));
      return jsonAnswer({ modelVersion: model.version, results });
    });
  },
};

function toInput(item: ScoreItem, model: ServingModel): AssessInput {
  return { customerId: item.customerId ?? null, record: item.record ?? null, model };
}
