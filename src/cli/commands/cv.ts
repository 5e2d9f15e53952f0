import type { Command } from 'commander';

/** Placeholder until the `cv` command lands; its owner replaces this file. */
export function registerCv(program: Command): void {
  program.command('cv').description('(not yet available)');
}
