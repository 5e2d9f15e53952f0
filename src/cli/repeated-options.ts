import { Option, type Command } from 'commander';
import { excerpt } from '../errors.js';

/** Options that collect every value given (`--segment a --segment b`), marked by `repeatable`. */
const collecting = new WeakSet<Option>();

/**
 * An option meant to be given several times, each value added to the earlier ones.
 *
 * @example
 * command.addOption(repeatable('--segment <column>', 'break the evaluation down by this column (repeatable)'));
 */
export function repeatable(flags: string, description: string): Option {
  const option = new Option(flags, description).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  collecting.add(option);
  return option;
}

/**
 * Makes an option given twice with two values a usage error (exit 2): commander keeps the last
 * one silently, so `--data train.csv … --data test.csv` (a command line pasted together from
 * two) trained on the test file and `--out a.json … --out b.json` wrote one of them only.
 * Left alone: variadic options (`--compare oracle foresight`), `repeatable` ones, and the same
 * value or flag given twice, which means one thing.
 */
export function refuseRepeatedOptions(command: Command): void {
  for (const option of command.options) {
    if (option.variadic || collecting.has(option)) continue;
    let first: { value: unknown } | undefined;
    command.on(`option:${option.name()}`, (value: unknown) => {
      if (first !== undefined && first.value !== value) {
        command.error(`error: option '${option.flags}' given twice, as '${excerpt(String(first.value))}' and '${excerpt(String(value))}': give it once`, { exitCode: 2, code: 'churnkit.repeatedOption' });
      }
      first = { value };
    });
  }
}
