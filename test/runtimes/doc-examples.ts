/**
 * Docs' examples as test fixtures: code blocks whose info string names a file
 * (```js file=worker.js), written out and run as they stand. docs/runtimes.md's are the
 * runtime tests' fixtures; other pages' are compiled and run by test/package/docs-typescript.
 * A block indented inside a list item counts too, its indent removed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../package/installed-package.js';

export function docExamples(page = 'docs/runtimes.md'): Map<string, string> {
  const text = readFileSync(join(REPO, page), 'utf8');
  const examples = new Map<string, string>();
  for (const match of text.matchAll(/^( *)```\w+ file=(\S+)\n([\s\S]*?)^\1```$/gm)) {
    const indent = match[1]!;
    examples.set(match[2]!, match[3]!.replace(new RegExp(`^${indent}`, 'gm'), ''));
  }
  return examples;
}

/** Writes the named examples of docs/runtimes.md into `folder` and returns their text; a missing one is an error naming it. */
export function writeDocExamples(folder: string, names: readonly string[]): Record<string, string> {
  const examples = docExamples();
  const written: Record<string, string> = {};
  for (const name of names) {
    const code = examples.get(name);
    if (code === undefined) throw new Error(`docs/runtimes.md has no code block for ${name} (expected \`\`\`<lang> file=${name})`);
    writeFileSync(join(folder, name), code);
    written[name] = code;
  }
  return written;
}
