import { Option, type Command } from 'commander';
import type { RetentionEconomics } from '../metrics/threshold-choice.js';
import { nonNegativeNumber, shareBetweenZeroAndOne } from './option-parsers.js';

/** The economics flags as commander parses them (camel-cased). */
export interface EconomicsFlags {
  actionCost?: number;
  retainedValue?: number;
  successRate?: number;
}

/**
 * Defaults for a report's profit curve: a 10-unit coupon or call, a churner
 * worth 100 units of margin, kept three times in ten. They break even at a
 * churn probability of 1/3; the report states them, and the flags change them.
 */
export const DEFAULT_ECONOMICS: RetentionEconomics = { actionCost: 10, retainedValue: 100, successRate: 0.3 };

/**
 * Adds `--action-cost`, `--retained-value` and `--success-rate` to a command:
 * `eval` adds them without defaults (profit only when asked), `report` with
 * `DEFAULT_ECONOMICS`.
 */
export function addEconomicsFlags(command: Command, defaults?: RetentionEconomics): Command {
  const flags = [
    new Option('--action-cost <amount>', 'cost of the retention action per contacted customer').argParser(nonNegativeNumber),
    new Option('--retained-value <amount>', 'value of keeping a customer who would have churned').argParser(nonNegativeNumber),
    new Option('--success-rate <share>', 'share of contacted churners the action keeps, 0 to 1').argParser(shareBetweenZeroAndOne),
  ];
  const values = [defaults?.actionCost, defaults?.retainedValue, defaults?.successRate];
  flags.forEach((flag, index) => command.addOption(values[index] === undefined ? flag : flag.default(values[index])));
  return command;
}
