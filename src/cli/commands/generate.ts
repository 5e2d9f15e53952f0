import type { Command } from 'commander';

/** Placeholder until the `generate` command lands; its owner replaces this file. */
export function registerGenerate(program: Command): void {
  program.command('generate').description('(not yet available)');
}
