/**
 * The docs' examples import only what the package exports: every `import … from 'churnkit…'`
 * in README.md, SECURITY.md, docs/*.md and the model card names an entry of package.json's
 * `exports`, and every name it imports is exported by that entry (values and types alike).
 * The exports are read from each entry's source with the TypeScript checker (the `types` file
 * of the entry, mapped back from `dist/` to the `.ts` it is compiled from; the generated
 * `churnkit/models` is read from the build).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { docPages, ROOT } from './doc-pages.js';


type Exports = Record<string, string | Record<string, string>>;

/**
 * The file that declares an entry's exports: the `.ts` its `types` file is compiled from
 * (`dist/<path>.d.ts` back to `<path>.ts`), or the `types` file itself where there is no such
 * source (`wasm/kernel.d.ts`, and `dist/models/index.d.ts`, which the build generates).
 */
function entrySource(entry: string | Record<string, string>): string {
  const types = typeof entry === 'string' ? entry : entry.types!;
  const source = join(ROOT, types.replace(/^\.\/dist\//, './').replace(/\.d\.ts$/, '.ts'));
  if (existsSync(source)) return source;
  const declarations = join(ROOT, types);
  if (!existsSync(declarations)) throw new Error(`${types} is missing: run "npm run build" (npm test does it first)`);
  return declarations;
}


interface DocImport {
  where: string;
  specifier: string;
  names: string[];
  hasDefault: boolean;
}

/** `import a, { b, type C as D } from 'churnkit/x'` statements of the docs (over several lines too). */
function docImports(): DocImport[] {
  const found: DocImport[] = [];
  for (const page of docPages()) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    for (const match of text.matchAll(/\bimport\s+(?:type\s+)?(\w+)?\s*,?\s*(?:\{([^}]*)\})?\s*from\s*'(churnkit(?:\/[\w./-]+)?)'/g)) {
      const names = (match[2] ?? '')
        .split(',')
        .map((name) => name.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!)
        .filter((name) => name.length > 0);
      const line = text.slice(0, match.index).split('\n').length;
      found.push({ where: `${page}:${line}`, specifier: match[3]!, names, hasDefault: match[1] !== undefined });
    }
  }
  return found;
}

describe("the docs' imports from the package", () => {
  const exportsField = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Exports }).exports;
  const imports = docImports();
  const entries = [...new Set(imports.map((statement) => statement.specifier))];
  const sources = new Map(
    entries.flatMap((specifier) => {
      const entry = exportsField[specifier === 'churnkit' ? '.' : `.${specifier.slice('churnkit'.length)}`];
      return entry === undefined ? [] : [[specifier, entrySource(entry)] as const];
    }),
  );
  const program = ts.createProgram([...sources.values()], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, allowJs: false, noEmit: true });
  const checker = program.getTypeChecker();
  const exportedNames = (file: string): Set<string> => {
    const source = program.getSourceFile(file);
    const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    return new Set(symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((exported) => exported.getName()));
  };

  it('finds the imports of the examples', () => {
    expect(imports.length).toBeGreaterThan(25);
    expect(entries).toContain('churnkit/express');
  });

  it('every entry the docs import from is in package.json "exports"', () => {
    expect(imports.filter(({ specifier }) => !sources.has(specifier)).map(({ where, specifier }) => `${where}: ${specifier}`)).toEqual([]);
  });

  it('every name the docs import is exported by its entry', () => {
    const missing: string[] = [];
    for (const { where, specifier, names, hasDefault } of imports) {
      const file = sources.get(specifier);
      if (file === undefined) continue;
      const exported = exportedNames(file);
      if (hasDefault && !exported.has('default')) missing.push(`${where}: ${specifier} has no default export`);
      for (const name of names) if (!exported.has(name)) missing.push(`${where}: ${specifier} does not export ${name}`);
    }
    expect(missing).toEqual([]);
  });
});
