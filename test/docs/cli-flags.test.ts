/**
 * The docs name only command-line flags the CLI has: a flag renamed or removed in
 * `src/cli/commands/` fails here until every page that shows it is changed too. The flags are
 * read from the commands themselves (each module's `register…` function, on a fresh commander
 * program), not from their `--help` text, so the check needs no build.
 *
 * Two kinds of mention are checked, in README.md, SECURITY.md, docs/*.md and the model card:
 *
 * 1. a command line, `churnkit <command> …` (in a code block or inline code, `npx churnkit`
 *    too, lines continued with `\` joined): every `--flag` up to the end of the line or of
 *    the inline code, a `#` comment, a pipe or a redirection, must be one of that command's;
 * 2. the flag table of a page given to one command (`FLAG_TABLES`): every `--flag` in a row's
 *    first cell must be that command's, and when the row names one flag that has a default in
 *    the parser, its default cell must show that value.
 *
 * Flags of other programs (`npm run bench -- --quick`, `deno run --allow-read`) are neither a
 * command line of churnkit's nor in a command's table, so they are left alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { docPages, ROOT } from './doc-pages.js';

const COMMANDS_DIR = join(ROOT, 'src', 'cli', 'commands');

/** Options of the program itself, accepted after any command. */
const PROGRAM_FLAGS = ['--quiet', '-q', '--help', '-h', '--version', '-V'];

/** Pages whose flag tables describe one command. */
const FLAG_TABLES: Record<string, string> = {
  'docs/bgnbd.md': 'bgnbd',
  'docs/generator.md': 'generate',
  'docs/lifecycle.md': 'retrain',
  'docs/report.md': 'report',
  'docs/tune.md': 'tune',
};

interface ParsedFlag {
  flags: string[];
  defaultValue: unknown;
}

/** Every command's flags, as its module registers them. */
async function cliCommands(): Promise<Map<string, ParsedFlag[]>> {
  const program = new Command('churnkit');
  for (const file of readdirSync(COMMANDS_DIR).filter((name) => name.endsWith('.ts')).sort()) {
    const module = (await import(join(COMMANDS_DIR, file))) as Record<string, unknown>;
    const register = Object.entries(module).find(([name, value]) => name.startsWith('register') && typeof value === 'function')?.[1];
    if (typeof register !== 'function') throw new Error(`${file} exports no register function`);
    (register as (program: Command) => void)(program);
  }
  return new Map(
    program.commands.map((command) => [
      command.name(),
      command.options.map((option) => ({ flags: [option.long, option.short].filter((flag): flag is string => flag !== undefined), defaultValue: option.defaultValue })),
    ]),
  );
}


/** The page's lines, with shell continuations (`\` at the end of a line) joined to the next. */
function logicalLines(page: string): { line: number; text: string }[] {
  const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
  const joined: { line: number; text: string }[] = [];
  for (let index = 0; index < lines.length; index++) {
    const start = index;
    let text = lines[index]!;
    while (text.endsWith('\\') && index + 1 < lines.length) text = text.slice(0, -1) + ' ' + lines[++index]!.trim();
    joined.push({ line: start + 1, text });
  }
  return joined;
}

const FLAG = /(?<![\w-])(--?[a-zA-Z][a-zA-Z0-9-]*)/g;

/** `churnkit <command> …` on a line: the command and the flags its arguments name. */
function commandLines(text: string, commands: ReadonlySet<string>): { command: string; flags: string[] }[] {
  const found: { command: string; flags: string[] }[] = [];
  for (const match of text.matchAll(/\bchurnkit\s+([a-z]+)\b([^`#|>;]*)/g)) {
    const command = match[1]!;
    if (!commands.has(command)) continue;
    found.push({ command, flags: [...match[2]!.matchAll(FLAG)].map(([, flag]) => flag!).filter((flag) => flag.startsWith('--')) });
  }
  return found;
}

describe('command-line flags in the docs', async () => {
  const commands = await cliCommands();
  const flagsOf = (command: string) => new Set([...PROGRAM_FLAGS, ...commands.get(command)!.flatMap((option) => option.flags)]);

  it('reads every command of the CLI, with its flags', () => {
    expect([...commands.keys()].sort()).toEqual(['bgnbd', 'challenger', 'cv', 'doctor', 'eval', 'features', 'generate', 'predict', 'report', 'retrain', 'simulate', 'train', 'tune', 'uplift']);
    expect(flagsOf('simulate')).toContain('--no-events');
    expect(commandLines('churnkit features --events e.csv --as-of 2025-09-30 `--nope`', new Set(commands.keys()))).toEqual([{ command: 'features', flags: ['--events', '--as-of'] }]);
  });

  it('every flag of a churnkit command line in the docs is one of that command\'s', () => {
    const unknown: string[] = [];
    let checked = 0;
    for (const page of docPages()) {
      for (const { line, text } of logicalLines(page)) {
        for (const { command, flags } of commandLines(text, new Set(commands.keys()))) {
          checked++;
          const known = flagsOf(command);
          for (const flag of flags) if (!known.has(flag)) unknown.push(`${page}:${line}: churnkit ${command} ${flag}`);
        }
      }
    }
    expect(checked, 'command lines found in the docs').toBeGreaterThan(30);
    expect(unknown).toEqual([]);
  });

  it('every flag in a command\'s flag table is that command\'s, with the default its parser has', () => {
    const problems: string[] = [];
    let rows = 0;
    for (const [page, command] of Object.entries(FLAG_TABLES)) {
      const options = commands.get(command)!;
      for (const { line, text } of logicalLines(page)) {
        // A table row's cells; `\|` is a pipe inside a cell (`--format csv\|jsonl\|cdnow`).
        const cells = text.startsWith('|') ? text.split(/(?<!\\)\|/).slice(1) : [];
        if (cells.length < 2 || !cells[0]!.includes('`--')) continue;
        rows++;
        const flags = [...cells[0]!.matchAll(FLAG)].map(([, flag]) => flag!);
        for (const flag of flags) {
          if (!flagsOf(command).has(flag)) problems.push(`${page}:${line}: ${command} has no ${flag}`);
        }
        const option = flags.length === 1 ? options.find((candidate) => candidate.flags.includes(flags[0]!)) : undefined;
        if (option?.defaultValue !== undefined && !cells[1]!.includes(String(option.defaultValue))) {
          problems.push(`${page}:${line}: ${flags[0]} defaults to ${String(option.defaultValue)}, the table says ${cells[1]!.trim()}`);
        }
      }
    }
    expect(rows, 'flag table rows found').toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });
});
