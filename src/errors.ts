/**
 * The errors churnkit throws. Every message names what was wrong and where
 * (file, row, column, field) and what was expected, so a user can fix the input
 * without reading our source.
 */

/** Longest value a message quotes whole; longer ones are cut (see `excerpt`). */
const EXCERPT_LENGTH = 80;
/** Longest message an error carries: a safety net for a value quoted without `excerpt`. */
const MESSAGE_LENGTH = 1_000;

/**
 * A value as an error message quotes it: whole up to 80 characters, else its start, an ellipsis
 * and its length — a 150 MB cell must not become a 150 MB line on stderr. Every message that
 * quotes input (a cell, a header name, a field) goes through here.
 *
 * @example
 * ```ts
 * throw new InputError('INPUT_NOT_NUMERIC', `non-numeric text '${excerpt(cell)}' in column ...`, where);
 * excerpt('x'.repeat(150e6)); // 'xxxx…xxx… (150,000,000 characters)'
 * ```
 */
export function excerpt(text: string): string {
  return text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH - 20)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** A message cut to MESSAGE_LENGTH characters, saying how long it was. */
export function boundedMessage(message: string): string {
  return message.length <= MESSAGE_LENGTH
    ? message
    : `${message.slice(0, MESSAGE_LENGTH)}… (message cut: ${message.length.toLocaleString('en-US')} characters)`;
}

/**
 * Base class: `instanceof ChurnkitError` catches everything churnkit throws on purpose. An
 * error's `name` is its class's (a user's own subclass names itself too).
 */
export class ChurnkitError extends Error {
  // Fields here and below are declared, not defined (`declare`): their constructors assign
  // them, and class fields would put their names in the core a page loads once more (issue
  // 10's 30 KB budget).
  /** A stable, machine-readable code, e.g. `MODEL_CHECKSUM`, `INPUT_NOT_NUMERIC`. */
  declare readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(boundedMessage(message), options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Gives a class its name back: the published bundles are minified, which renames classes, so
 * an error's `name` would read `e` and Node would print an uncaught one as
 * `u [OptionsError]: …`. Named once here rather than with esbuild's keepNames, which names
 * every function of a bundle (6 % more core).
 */
function named(errorClass: abstract new (...args: never[]) => ChurnkitError, name: string): void {
  Object.defineProperty(errorClass, 'name', { value: name });
}
named(ChurnkitError, 'ChurnkitError');

/** Options given to a constructor or factory are invalid (caught at construction, never on a hot path). */
export class OptionsError extends ChurnkitError {
  declare readonly name: 'OptionsError';
}
named(OptionsError, 'OptionsError');

/** A model file is truncated, tampered with, of an unknown version, or inconsistent with itself. */
export class ModelFormatError extends ChurnkitError {
  declare readonly name: 'ModelFormatError';
  declare readonly file: string | undefined;

  constructor(code: string, message: string, options?: { file?: string; cause?: unknown }) {
    super(code, options?.file ? `${options.file}: ${message}` : message, options);
    this.file = options?.file;
  }
}
named(ModelFormatError, 'ModelFormatError');

/** Where in an input a problem was found. Rows are 1-based data rows; lines are 1-based file lines. */
export interface InputLocation {
  file?: string;
  line?: number;
  row?: number;
  column?: string;
  field?: string;
}

/** Input data (CSV, events, records, request bodies) cannot be used as given. */
export class InputError extends ChurnkitError {
  declare readonly name: 'InputError';
  declare readonly location: InputLocation;
  /** What was wrong, without the location prefix `message` starts with. */
  declare readonly detail: string;

  constructor(code: string, message: string, location: InputLocation = {}, options?: { cause?: unknown }) {
    super(code, `${formatLocation(location)}${message}`, options);
    this.location = location;
    this.detail = message;
  }
}
named(InputError, 'InputError');

/** The WebAssembly engine could not be loaded or a network could not be planned. */
export class EngineError extends ChurnkitError {
  declare readonly name: 'EngineError';
}
named(EngineError, 'EngineError');

function formatLocation(where: InputLocation): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.column !== undefined) parts.push(`column "${excerpt(where.column)}"`);
  if (where.field !== undefined) parts.push(`field "${excerpt(where.field)}"`);
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}
