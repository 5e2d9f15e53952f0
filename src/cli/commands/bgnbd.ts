import { Option, type Command } from 'commander';
import { warn } from '../warn.js';
import { summariseCustomers, type CustomerSummary } from '../../bgnbd/customer-summary.js';
import { expectedPurchases } from '../../bgnbd/expected-purchases.js';
import { fitBgNbd, type BgNbdFit } from '../../bgnbd/fit-bgnbd.js';
import { bgNbdFitProblem } from '../../bgnbd/fit-problem.js';
import { InputError } from '../../errors.js';
import { pAlive } from '../../bgnbd/p-alive.js';
import { EVENT_FORMATS, readEvents, type EventFormat } from '../../events/read-events.node.js';
import { parseAsOf } from '../../features/churn-label.js';
import { toCsvLine } from '../csv-line.js';
import { asOfTime, eventTime, nonNegativeNumber } from '../option-parsers.js';
import { showStep, startFileProgress } from '../progress.js';
import { resolveEventTimePolicy } from '../../events/event-time-policy.js';
import { checkOutputs } from '../check-outputs.js';
import { writeFileAtomically } from '../../node/write-file-atomically.js';

interface BgNbdOptions {
  events: string;
  format: EventFormat;
  asOf: string;
  json?: boolean;
  scores?: string;
  horizon: number;
  strict?: boolean;
  earliest?: number;
  acceptPoorFit?: boolean;
}

/**
 * `churnkit bgnbd --events <file> [--format csv|jsonl|cdnow] --as-of <date> [--json]
 * [--scores <csv> --horizon <weeks>]`: fits BG/NBD (time unit: weeks) by maximum likelihood to
 * the orders up to the as-of day and prints the parameters; `--scores` also writes each
 * customer's x, t_x, T, P(alive) and expected purchases in the next `--horizon` weeks (features
 * for a supervised model, or the scores of a store too small for one).
 *
 * @example
 * churnkit bgnbd --events CDNOW_sample.txt --format cdnow --as-of 1997-09-30 --json
 * // {"r":0.24259451017546765,"alpha":4.413601456514905,"a":0.7929231631599185,"b":2.4259095470091894,"loglik":-9582.429206673827,"customers":2357}
 */
export function registerBgNbd(program: Command): void {
  program
    .command('bgnbd')
    .description('fit the BG/NBD small-store model (P(alive), expected purchases) to an order log')
    .requiredOption('--events <file>', 'event log; its order events are the purchases')
    .addOption(new Option('--format <format>', 'event log format').choices(EVENT_FORMATS).default('csv'))
    .requiredOption('--as-of <date>', 'end of the calibration period: a date (that whole UTC day is observed) or an ISO date-time', asOfTime)
    .option('--json', 'print the fit as one JSON object: {"r","alpha","a","b","loglik","customers"}')
    .option('--scores <csv>', "write each customer's x, t_x, T, p_alive and expected purchases")
    .option('--horizon <weeks>', 'weeks ahead for the expected purchases in --scores', nonNegativeNumber, 39)
    .option('--strict', 'stop at the first invalid row instead of skipping it')
    .option('--earliest <date>', 'refuse events before this time (default 1990-01-01; events more than 5 minutes after now are always refused)', eventTime)
    .option('--accept-poor-fit', 'print (and score with) a fit that did not converge or ran off to a limit, with a warning, instead of failing')
    .action(async (options: BgNbdOptions) => {
      if (options.scores !== undefined) checkOutputs([{ path: options.scores, kind: 'file', flag: '--scores' }], [options.events]);
      const eventTimes = { earliestMs: options.earliest };
      const cutoffMs = parseAsOf(options.asOf, { policy: resolveEventTimePolicy(eventTimes), nowMs: Date.now() });
      let skipped = 0;
      const progress = startFileProgress('reading orders', options.events);
      const events = readEvents(options.events, {
        format: options.format,
        strict: options.strict === true,
        eventTimes,
        onInvalid: () => skipped++,
        onProgress: (bytesRead) => progress.update(bytesRead),
      });
      const summaries = await summariseCustomers(events, cutoffMs).finally(() => progress.stop());
      if (skipped > 0) process.stderr.write(`churnkit: ${options.events}: ${skipped} invalid rows skipped (--strict stops at the first)\n`);
      const step = showStep(`fitting BG/NBD to ${summaries.length} customers`);
      const fit = fitBgNbd(summaries);
      step.stop();
      const problem = bgNbdFitProblem(fit);
      if (problem !== undefined && options.acceptPoorFit !== true) {
        throw new InputError('BGNBD_POOR_FIT', `${problem} (--accept-poor-fit prints it anyway)`, { file: options.events });
      }
      if (problem !== undefined) warn(problem);
      if (options.scores !== undefined) await writeFileAtomically(options.scores, scoresCsv(fit, summaries, options.horizon));
      const result = { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b, loglik: fit.logLikelihood, customers: fit.customers };
      process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : describe(fit));
    });
}

function scoresCsv(fit: BgNbdFit, summaries: readonly CustomerSummary[], horizonWeeks: number): string {
  const lines = [`customer_id,x,t_x,T,p_alive,expected_purchases_${horizonWeeks}w`];
  for (const summary of summaries) {
    const alive = pAlive(fit, summary);
    const expected = expectedPurchases(fit, summary, horizonWeeks);
    lines.push(toCsvLine([summary.customerId, summary.x, summary.tx, summary.T, alive, expected]));
  }
  return `${lines.join('\n')}\n`;
}

function describe(fit: BgNbdFit): string {
  return (
    `BG/NBD fit on ${fit.customers} customers (weeks): r = ${fit.r.toFixed(4)}, alpha = ${fit.alpha.toFixed(4)}, ` +
    `a = ${fit.a.toFixed(4)}, b = ${fit.b.toFixed(4)}, log-likelihood = ${fit.logLikelihood.toFixed(2)}\n`
  );
}
