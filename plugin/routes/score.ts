/**
 * `POST /score` and `POST /score/batch`: the customer's stored features merged with the
 * given raw fields (the record wins); neither given → the population prior.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import { assess } from '../assess.js';
import type { PluginContext } from '../context.js';
import type { ServingModel } from '../serving-model.js';
import type { ScoreItem } from '../validation/bodies.js';
import { inputErrorFromZod, sendInputError } from '../validation/http-error.js';
import { checkRecord } from '../validation/record.js';
import { captureModel } from './capture-model.js';

/** Mounts `POST /score` and `POST /score/batch` on the plugin router. */
export function mountScoreRoutes(router: Router, context: PluginContext, jsonBody: RequestHandler[]): void {
  router.post('/score', ...jsonBody, async (req: Request, res: Response) => {
    const parsed = context.schemas.score.safeParse(req.body ?? {});
    if (!parsed.success) return sendInputError(res, inputErrorFromZod(parsed.error));
    const model = await captureModel(context, res);
    if (model === null) return;
    try {
      if (parsed.data.record) checkRecord(parsed.data.record, model, 'record');
    } catch (error) {
      return sendInputError(res, error);
    }
    res.json(await assess(context, toInput(parsed.data, model)));
  });

  router.post('/score/batch', ...jsonBody, async (req: Request, res: Response) => {
    const parsed = context.schemas.batch.safeParse(req.body);
    if (!parsed.success) return sendInputError(res, inputErrorFromZod(parsed.error));
    const model = await captureModel(context, res);
    if (model === null) return;
    const items = parsed.data.items;
    try {
      items.forEach((item, index) => item.record && checkRecord(item.record, model, `items.${index}.record`));
    } catch (error) {
      return sendInputError(res, error);
    }
    const results = [];
    // One at a time: each item's decision sees the budget spent by the items before it.
    for (const item of items) results.push(await assess(context, toInput(item, model)));
    res.json({ modelVersion: model.version, results });
  });
}

function toInput(item: ScoreItem, model: ServingModel) {
  return { customerId: item.customerId ?? null, record: item.record ?? null, model };
}
