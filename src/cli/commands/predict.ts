import type { Command } from 'commander';

/** Placeholder until the `predict` command lands; its owner replaces this file. */
export function registerPredict(program: Command): void {
  program.command('predict').description('(not yet available)');
}
