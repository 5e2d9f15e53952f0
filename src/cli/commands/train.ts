import type { Command } from 'commander';

/** Placeholder until the `train` command lands; its owner replaces this file. */
export function registerTrain(program: Command): void {
  program.command('train').description('(not yet available)');
}
