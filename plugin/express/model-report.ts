/**
 * `GET /model/report`: the `churnkit report` page (docs/report.md) of the serving model, on
 * the store's own labelled customers: the decisions logged with their features
 * (`policy.logFeatures`) on which no action was taken (no action chosen, or the hold-out), each
 * labelled by the outcome recorded after it (churned = not retained). Acted-on customers are
 * left out: their outcome is the action's as much as the model's. The report module is
 * imported on first use, so a storefront that never opens the page never loads it.
 */
import type { Request, Response } from 'express';
import type { PluginContext } from '../context.js';
import type { ExplainableChurnModel } from '../../src/explain/explainable.js';
import type { RawRecord } from '../../src/model/feature-spec.js';
import { publicMessage, reportError } from '../error-report.js';

/** The economics the profit chart assumes: `churnkit report`'s defaults (src/cli/economics-flags.ts). */
const REPORT_ECONOMICS = { actionCost: 10, retainedValue: 100, successRate: 0.3 };

/** The labelled customers in the store, as `buildReport` takes them. */
interface LabelledCustomers {
  records: RawRecord[];
  labels: number[];
}

/**
 * Serves the report page, or a short page saying why there is none yet (never an error
 * status for a store that simply has too little: the dashboard links here from day one).
 *
 * @example
 * router.get('/model/report', modelReportHandler(context));
 */
export function modelReportHandler(context: PluginContext) {
  return async (_req: Request, res: Response): Promise<void> => {
    let model: ExplainableChurnModel;
    let labelled: LabelledCustomers;
    try {
      model = (await context.slot.current()) as ExplainableChurnModel;
      labelled = await labelledCustomers(context);
    } catch (error) {
      reportError(context.onError, error, { code: 'REPORT_UNAVAILABLE', customerId: null });
      res.status(503).type('html').send(notice('Report unavailable', publicMessage('the model or the store could not be read', error)));
      return;
    }
    const churned = labelled.labels.reduce((sum, label) => sum + label, 0);
    if (churned === 0 || churned === labelled.labels.length || typeof model.predictBatch !== 'function') {
      res.type('html').send(notice(
        'No report yet',
        `The report needs customers the policy decided on without acting, with their features logged (policy.logFeatures) and an outcome recorded since: both churned and retained ones. The store has ${labelled.labels.length}, ${churned} of them churned.`,
      ));
      return;
    }
    const { buildReport, renderReportHtml } = await import('../../src/report/index.js');
    const probabilities = model.predictBatch(labelled.records);
    const data = buildReport({
      model,
      records: labelled.records,
      labels: labelled.labels,
      probabilities,
      economics: REPORT_ECONOMICS,
      source: { model: `serving model ${model.version}`, data: `the store: ${labelled.labels.length} customers not acted on, labelled by their outcome`, scoring: 'held-out' },
    });
    res.type('html').send(renderReportHtml(data));
  };
}

async function labelledCustomers(context: PluginContext): Promise<LabelledCustomers> {
  const store = await context.backingStore();
  const records: RawRecord[] = [];
  const labels: number[] = [];
  if (store.decisionLog === undefined) return { records, labels };
  for await (const { decision, outcome } of store.decisionLog()) {
    if (outcome === null || decision.features === undefined) continue;
    if (decision.action !== null && decision.group !== 'holdout') continue;
    records.push(decision.features);
    labels.push(outcome.retained ? 0 : 1);
  }
  return { records, labels };
}

function notice(title: string, text: string): string {
  const escape = (value: string) => value.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`;
}
