import type { Command } from 'commander';

/** Placeholder until the `bgnbd` command lands; its owner replaces this file. */
export function registerBgNbd(program: Command): void {
  program.command('bgnbd').description('(not yet available)');
}
