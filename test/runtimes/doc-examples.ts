/**
 * The examples of docs/runtimes.md are the runtime tests' fixtures: code blocks whose info
 * string names a file (```js file=worker.js) are written out and run as they stand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../package/installed-package.js';

export function docExamples(): Map<string, string> {
  const text = readFileSync(join(REPO, 'docs', 'runtimes.md'), 'utf8');
  const examples = new Map<string, string>();
  for (const match of text.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)) examples.set(match[1]!, match[2]!);
  return examples;
}

/** Writes the named examples into `folder` and returns their text; a missing one is an error naming it. */
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
