/**
 * The files the docs point to exist: SECURITY.md proves each promise by naming its tests, and
 * the other pages send readers to a source file or a script. A test or module renamed or
 * removed fails here until every page that names it follows.
 *
 * A path counts when it starts at a top-level folder of the repository (`test/`, `src/`,
 * `plugin/`, `bench/`, `scripts/`, `assembly/`, `security/`, `docs/`; not `models/`, where the
 * examples also write files of their own), stands on its own (not the tail of `dist/src/…` or
 * `./dist/…`, which only a build writes) and names a file by its extension. Paths with a
 * placeholder (`<name>`, `*`) and the git-ignored outputs of runs (`.tmp`) are not files to
 * look for. The npm scripts the docs run (`npm run <script>`) must be in package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPages, ROOT } from './doc-pages.js';

const PATH = /(?<![\w./-])((?:test|src|plugin|bench|scripts|assembly|security|docs)\/[\w./-]*\.(?:ts|mjs|js|json|sh|py|md|txt))(?![\w<*])/g;


describe('paths and scripts named in the docs', () => {
  it('every repository file a page names exists', () => {
    const missing: string[] = [];
    let named = 0;
    for (const page of docPages()) {
      const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
      lines.forEach((text, index) => {
        for (const [, path] of text.matchAll(PATH)) {
          named++;
          if (!existsSync(join(ROOT, path!))) missing.push(`${page}:${index + 1}: ${path}`);
        }
      });
    }
    expect(named, 'paths found in the docs').toBeGreaterThan(150);
    expect(missing).toEqual([]);
  });

  it('every npm script a page runs is in package.json', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const missing: string[] = [];
    for (const page of docPages()) {
      for (const [, script] of readFileSync(join(ROOT, page), 'utf8').matchAll(/\bnpm run ([a-z][\w:-]*)/g)) {
        if (!(script! in scripts)) missing.push(`${page}: npm run ${script}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
