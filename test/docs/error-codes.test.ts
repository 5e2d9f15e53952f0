/**
 * docs/errors.md lists every error code churnkit throws or answers, and nothing else: the
 * codes are read from the sources (src/, plugin/; not tests) with the TypeScript parser, so
 * the page cannot fall behind the code or keep a code the code no longer uses.
 *
 * A code is an upper-case identifier (`MODEL_CHECKSUM`, `INTERNAL`) written as a string
 * literal in one of these places:
 *
 * 1. the `code` argument of a call: `new InputError('INPUT_EMPTY', …)`, `errorAnswer(400,
 *    'INVALID_JSON', …)`, `failOpen(context, id, 'HOOK_ERROR', …)`: a call to a class whose
 *    constructor (its own or inherited) has a parameter named `code`, or to a function
 *    declared with one, at that parameter's position (both branches of a `? :` count);
 * 2. a variable passed there instead of a literal, when the same file gives that variable a
 *    literal (`const ERASURE_UNSUPPORTED = 'ERASURE_UNSUPPORTED'`, `stage = 'SCORING_ERROR'`);
 * 3. the value of a `code:` property in an object literal (`{ ok: false, code: 'STORE_WRITE' }`,
 *    `reportError(…, { code: 'INTERNAL', … })`);
 * 4. a member of a string-literal union that types a parameter or property named `code`, or
 *    of a type alias whose name ends in `Code`;
 * 5. the value of a `reason:` property given to `….failOpen.inc(…)`: the fail-open metric's
 *    label, which also counts failures that change no answer (`EXPLAIN_ERROR`).
 *
 * Redis commands, SQL words and Node's errno codes (`ENOENT`, `SQLITE_BUSY`) are compared
 * against or sent, never passed as a code, so none of them is picked up. A code thrown by a
 * `ChurnkitError` class must be listed in that class's section of the page.
 *
 * `LIST_ERROR_CODES=1 npx vitest run test/docs/error-codes.test.ts` prints every code found,
 * where, and by which class.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SCANNED = ['src', 'plugin'];
const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Where a code is used (`file:line`) and, when it is thrown there, by which error class. */
interface CodeSite {
  where: string;
  thrownBy?: string;
}

type CodeSites = Map<string, CodeSite[]>;

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !/\.(test|spec)\.ts$/.test(entry.name)) files.push(path);
    }
  };
  for (const dir of SCANNED) walk(join(ROOT, dir));
  return files.sort();
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

function codeParameterIndex(parameters: ts.NodeArray<ts.ParameterDeclaration>): number {
  return parameters.findIndex((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === 'code');
}

/** The string literals an expression can evaluate to: a literal, or either branch of `? :` (through parentheses and `as`). */
function literalsOf(expression: ts.Expression): { literals: ts.StringLiteralLike[]; identifiers: string[] } {
  const literals: ts.StringLiteralLike[] = [];
  const identifiers: string[] = [];
  const visit = (node: ts.Expression): void => {
    if (ts.isStringLiteralLike(node)) literals.push(node);
    else if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) visit(node.expression);
    else if (ts.isConditionalExpression(node)) {
      visit(node.whenTrue);
      visit(node.whenFalse);
    } else if (ts.isIdentifier(node)) identifiers.push(node.text);
  };
  visit(expression);
  return { literals, identifiers };
}

/** A property of the object literal given to `<…>.failOpen.inc(…)`. */
function isFailOpenCount(property: ts.PropertyAssignment): boolean {
  const call = property.parent.parent;
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'inc') return false;
  return calleeName(call.expression.expression) === 'failOpen';
}

/** Every error code the sources throw or answer, with where. */
function scanErrorCodes(): CodeSites {
  const parsed = sourceFiles().map((file) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));

  // Pass 1: which calls take a code, and at which argument.
  const functions = new Map<string, number>();
  const classes = new Map<string, { base: string | undefined; index: number }>();
  for (const source of parsed) {
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionDeclaration(node) && node.name) {
        const index = codeParameterIndex(node.parameters);
        if (index >= 0) functions.set(node.name.text, index);
      } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
        const index = codeParameterIndex(node.initializer.parameters);
        if (index >= 0) functions.set(node.name.text, index);
      } else if (ts.isClassDeclaration(node) && node.name) {
        const heritage = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
        const constructor = node.members.find(ts.isConstructorDeclaration);
        classes.set(node.name.text, { base: heritage ? calleeName(heritage) : undefined, index: constructor ? codeParameterIndex(constructor.parameters) : Number.NaN });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const isChurnkitError = (name: string, seen = new Set<string>()): boolean => {
    if (name === 'ChurnkitError') return true;
    const base = classes.get(name)?.base;
    if (base === undefined || seen.has(name)) return false;
    seen.add(name);
    return isChurnkitError(base, seen);
  };
  const classIndex = (name: string, seen = new Set<string>()): number => {
    const declared = classes.get(name);
    if (!declared || seen.has(name)) return -1;
    if (!Number.isNaN(declared.index)) return declared.index;
    seen.add(name);
    return declared.base === undefined ? -1 : classIndex(declared.base, seen);
  };

  // Pass 2: the literals in those places.
  const sites: CodeSites = new Map();
  const add = (source: ts.SourceFile, literal: ts.StringLiteralLike | ts.LiteralTypeNode, thrownBy?: string): void => {
    const text = ts.isLiteralTypeNode(literal) ? (ts.isStringLiteral(literal.literal) ? literal.literal.text : '') : literal.text;
    if (!CODE.test(text)) return;
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    const site: CodeSite = { where: `${relative(ROOT, source.fileName)}:${line}`, ...(thrownBy === undefined ? {} : { thrownBy }) };
    sites.set(text, [...(sites.get(text) ?? []), site]);
  };
  for (const source of parsed) {
    // A variable passed as a code, and the error class it was passed to (if a ChurnkitError's).
    const codeVariables = new Map<string, string | undefined>();
    const assigned: { name: string; value: ts.Expression }[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const name = calleeName(node.expression);
        const index = name === undefined ? -1 : ts.isNewExpression(node) ? classIndex(name) : (functions.get(name) ?? -1);
        const argument = index >= 0 ? node.arguments?.[index] : undefined;
        if (argument && !ts.isSpreadElement(argument)) {
          const thrownBy = ts.isNewExpression(node) && isChurnkitError(name!) ? name : undefined;
          const { literals, identifiers } = literalsOf(argument);
          for (const literal of literals) add(source, literal, thrownBy);
          for (const identifier of identifiers) codeVariables.set(identifier, codeVariables.get(identifier) ?? thrownBy);
        }
      } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && (node.name.text === 'code' || (node.name.text === 'reason' && isFailOpenCount(node)))) {
        for (const literal of literalsOf(node.initializer).literals) add(source, literal);
      } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        assigned.push({ name: node.name.text, value: node.initializer });
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) {
        assigned.push({ name: node.left.text, value: node.right });
      } else if ((ts.isParameter(node) || ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) && ts.isIdentifier(node.name) && node.name.text === 'code' && node.type) {
        addUnion(source, node.type);
      } else if (ts.isTypeAliasDeclaration(node) && node.name.text.endsWith('Code')) {
        addUnion(source, node.type);
      }
      ts.forEachChild(node, visit);
    };
    const addUnion = (file: ts.SourceFile, type: ts.TypeNode): void => {
      const members = ts.isUnionTypeNode(type) ? type.types : [type];
      for (const member of members) if (ts.isLiteralTypeNode(member)) add(file, member);
    };
    visit(source);
    for (const { name, value } of assigned) {
      if (codeVariables.has(name)) for (const literal of literalsOf(value).literals) add(source, literal, codeVariables.get(name));
    }
  }
  return sites;
}

/**
 * The codes docs/errors.md lists (the first cell of a table row, in backticks), each with the
 * sections it is listed in: a section headed by a class name (`## \`InputError\``) is that class's.
 */
function documentedCodes(): Map<string, Set<string>> {
  const page = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
  const codes = new Map<string, Set<string>>();
  let section = '';
  for (const line of page.split('\n')) {
    const heading = /^## (?:`(\w+)`)?/.exec(line);
    if (heading) section = heading[1] ?? line.slice(3);
    const cell = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/.exec(line);
    if (cell) codes.set(cell[1]!, (codes.get(cell[1]!) ?? new Set()).add(section));
  }
  return codes;
}

/** The codes of docs/model-format.md's tables (its "Validation and error codes" and "Loading" sections). */
function modelFormatPageCodes(): string[] {
  const page = readFileSync(join(ROOT, 'docs', 'model-format.md'), 'utf8');
  return page.split('\n').flatMap((line) => /^\|\s*`(MODEL_[A-Z0-9_]+)`\s*\|/.exec(line)?.[1] ?? []);
}

describe('docs/errors.md', () => {
  const sites = scanErrorCodes();

  if (process.env.LIST_ERROR_CODES) {
    for (const [code, where] of [...sites].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(code.padEnd(32), where.map((site) => `${site.where}${site.thrownBy ? `(${site.thrownBy})` : ''}`).join(' '));
    }
  }

  it('the scan finds codes of every kind of site, and no Redis command, SQL word or errno code', () => {
    for (const code of ['INPUT_EMPTY', 'MODEL_CHECKSUM', 'MODEL_TRUNCATED', 'ENGINE_NOT_BUILT', 'INVALID_JSON', 'UNAUTHORIZED', 'STORE_TIMEOUT', 'STORE_WRITE', 'HOOK_ERROR', 'SCORING_ERROR', 'ERASURE_UNSUPPORTED', 'SHAPE_UNITS', 'RETRAIN_TIMEOUT', 'RETRAIN_HOOK_ERROR', 'EXPLAIN_ERROR']) {
      expect(sites.has(code), code).toBe(true);
    }
    for (const word of ['HGETALL', 'BEGIN', 'ENOENT', 'ERR_MODULE_NOT_FOUND', 'SQLITE_BUSY']) expect(sites.has(word), word).toBe(false);
  });

  it('every error code churnkit throws or answers is listed in docs/errors.md', () => {
    const documented = documentedCodes();
    const missing = [...sites].filter(([code]) => !documented.has(code)).map(([code, where]) => `${code} (${where.map((site) => site.where).join(', ')})`);
    expect(missing, 'codes used in src/ or plugin/ that docs/errors.md does not list').toEqual([]);
  });

  it('every code docs/errors.md lists is still thrown or answered by src/ or plugin/', () => {
    const stale = [...documentedCodes().keys()].filter((code) => !sites.has(code));
    expect(stale, 'codes docs/errors.md lists that no source throws or answers').toEqual([]);
  });

  it('every code docs/model-format.md lists is in the ModelFormatError section of docs/errors.md', () => {
    const documented = documentedCodes();
    const codes = modelFormatPageCodes();
    expect(codes.length).toBeGreaterThan(10);
    expect(codes.filter((code) => !documented.get(code)?.has('ModelFormatError'))).toEqual([]);
  });

  it('every code thrown by an error class is listed in that class\'s section of docs/errors.md', () => {
    const documented = documentedCodes();
    const misplaced: string[] = [];
    for (const [code, where] of sites) {
      for (const { where: at, thrownBy } of where) {
        if (thrownBy !== undefined && !documented.get(code)?.has(thrownBy)) misplaced.push(`${code}: thrown as ${thrownBy} at ${at}`);
      }
    }
    expect(misplaced, 'codes not listed under the class that throws them').toEqual([]);
  });
});
