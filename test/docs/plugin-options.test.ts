/**
 * The option tables of the Express plugin name only options `churn()` has: docs/plugin.md's
 * "Options", docs/uplift.md's "Policy options" (`policy.…`) and docs/lifecycle.md's `retrain.`
 * table. Every name in a row's first cell (`identify(req)` is `identify`; `policy.capWindowMs`
 * is `capWindowMs` of the `policy` option) must be a property of `ChurnOptions`, read with the
 * TypeScript checker from plugin/express/options.ts, so an option renamed in the code fails
 * here until its table follows. Zod refuses an unknown key at construction, so a name the type
 * lacks is one a user's `churn()` call would be refused for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './doc-pages.js';

const OPTIONS_FILE = join(ROOT, 'plugin', 'express', 'options.ts');

/** The tables: the page, the line its header is on (found by this text), and the prefix its names carry. */
const TABLES = [
  { page: 'docs/plugin.md', after: '## Options', prefix: '' },
  { page: 'docs/uplift.md', after: '### Policy options', prefix: '' },
  { page: 'docs/lifecycle.md', after: '| `retrain.` | default | |', prefix: 'retrain.' },
];

/** The option names of a table's rows: the backticked names of each row's first cell. */
function tableNames(page: string, after: string, prefix: string): { line: number; name: string }[] {
  const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith(after));
  if (start < 0) throw new Error(`${page}: no "${after}"`);
  const names: { line: number; name: string }[] = [];
  let inTable = false;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const first = line.split(/(?<!\\)\|/)[1]!;
    for (const [, name] of first.matchAll(/`([A-Za-z][\w.]*)(?:\([^)]*\))?`/g)) names.push({ line: index + 1, name: prefix + name! });
  }
  return names;
}

describe('the plugin option tables in the docs', () => {
  const program = ts.createProgram([OPTIONS_FILE], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(OPTIONS_FILE)!;
  const declaration = source.statements.find((statement): statement is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(statement) && statement.name.text === 'ChurnOptions')!;
  const churnOptions = checker.getTypeAtLocation(declaration);

  /** The type of a dotted option path, or undefined when some part of it is no option. */
  const optionType = (path: string): ts.Type | undefined => {
    let type: ts.Type | undefined = churnOptions;
    for (const part of path.split('.')) {
      const property: ts.Symbol | undefined = checker.getPropertyOfType(checker.getNonNullableType(type!), part);
      if (property === undefined) return undefined;
      type = checker.getTypeOfSymbol(property);
    }
    return type;
  };

  it('reads ChurnOptions, nested options included', () => {
    expect(optionType('holdoutFraction')).toBeDefined();
    expect(optionType('policy.uplift.minDecisions')).toBeDefined();
    expect(optionType('retrain.every')).toBeDefined();
    expect(optionType('holdoutFractoin')).toBeUndefined();
  });

  it('every option a table names is an option of churn()', () => {
    const unknown: string[] = [];
    let named = 0;
    for (const { page, after, prefix } of TABLES) {
      for (const { line, name } of tableNames(page, after, prefix)) {
        named++;
        if (optionType(name) === undefined) unknown.push(`${page}:${line}: ${name}`);
      }
    }
    expect(named, 'option names found in the tables').toBeGreaterThan(45);
    expect(unknown).toEqual([]);
  });
});
