/**
 * docs/edge.md shows the files the edge tests run: every block marked
 * `<!-- example: path -->` must be that file, byte for byte, so the page cannot rot.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './example-project.js';

const page = readFileSync(join(REPO, 'docs', 'edge.md'), 'utf8');
const shown = [...page.matchAll(/<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].map(([, path, code]) => ({ path: path!, code: code! }));

describe('docs/edge.md', () => {
  it('shows every edge example', () => {
    expect(shown.map((example) => example.path).sort()).toEqual(
      ['bun.ts', 'deno.ts', 'hono-worker.ts', 'worker.ts'].map((file) => `docs/examples/edge/${file}`),
    );
  });

  it.each(shown)('shows $path exactly as the tests run it', ({ path, code }) => {
    expect(code).toBe(readFileSync(join(REPO, path), 'utf8').trimEnd());
  });
});
