/**
 * README's command-line walkthrough, as a new user runs it in the clone: its commands call
 * the built CLI, and every file it writes (224 MB of events among them) is ignored by git,
 * in its scratch folder or at the repository root.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wordsFileBeside } from '../../src/cli/feature-words-file.js';

const ROOT = resolve(import.meta.dirname, '../..');
const isGitCheckout = existsSync(join(ROOT, '.git'));

/** The README's shell block that runs `churnkit generate`. */
function walkthrough(): string {
  const blocks = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map(([, body]) => body!);
  const block = blocks.find((body) => /churnkit generate /.test(body));
  if (!block) throw new Error('README.md has no shell block running "churnkit generate"');
  return block;
}

describe('README command-line walkthrough', () => {
  it('runs the built CLI from its scratch folder', () => {
    const block = walkthrough();
    const folder = /^mkdir -p (\S+) && cd \1\b/m.exec(block)?.[1];
    expect(folder, 'the walkthrough works in a scratch folder').toBeDefined();
    const cli = /node (\S+churnkit\.js)/.exec(block)?.[1];
    expect(cli).toBeDefined();
    expect(resolve(ROOT, folder!, cli!)).toBe(join(ROOT, 'dist/cli/churnkit.js'));
  });

  it.skipIf(!isGitCheckout)('writes only files git ignores, in the scratch folder and at the root (needs a git checkout)', () => {
    const block = walkthrough();
    const folder = /^mkdir -p (\S+) && cd \1\b/m.exec(block)![1]!;
    // `churnkit features` writes the features' words beside its table.
    const words = [...block.matchAll(/churnkit features .*--out (\S+)/g)].map(([, file]) => wordsFileBeside(file!)!);
    const outputs = [...[...block.matchAll(/--(?:out|truth) (\S+)/g)].map(([, file]) => file!), ...words];
    expect(outputs).toEqual(expect.arrayContaining(['events.csv', 'features.csv', 'features.display.json', 'model.json']));
    for (const path of [...outputs.map((file) => join(folder, file)), ...outputs, 'truth.csv', 'scores.csv']) {
      const check = spawnSync('git', ['check-ignore', '--quiet', '--no-index', path], { cwd: ROOT });
      expect(check.status, `${path} is not ignored by .gitignore`).toBe(0);
    }
  });
});
