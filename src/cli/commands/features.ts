import type { Command } from 'commander';

/** Placeholder until the `features` command lands; its owner replaces this file. */
export function registerFeatures(program: Command): void {
  program.command('features').description('(not yet available)');
}
