/**
 * The answers of the plugin's routes, whatever serves them (Express, fetch, Hono): a status
 * and a JSON body. Every error has one shape, `{ "error": { "code", "message", "field"? } }`,
 * where `field` is the dotted path of the offending body field (`items.3.record.Tenure`)
 * when there is one.
 */
import type { z } from 'zod';
import { excerpt, InputError } from '../../src/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** What a route answers: the adapter writes it as a JSON response. */
export interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A JSON answer, 200 unless said otherwise. */
export function jsonAnswer(body: unknown, status = 200): JsonAnswer {
  return { status, body };
}

/** An error answer in the routes' shape; a field path made of a hostile key is cut like any quoted value. */
export function errorAnswer(status: number, code: string, message: string, field?: string): JsonAnswer {
  const error: ErrorBody['error'] = field === undefined ? { code, message } : { code, message, field: excerpt(field) };
  return { status, body: { error } };
}

/**
 * The first zod issue as an `InputError` naming the field and what was expected.
 *
 * @example
 * const parsed = scoreItemSchema.safeParse(body);
 * if (!parsed.success) throw inputErrorFromZod(parsed.error);
 */
export function inputErrorFromZod(error: z.ZodError): InputError {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(body)';
  // zod quotes unknown keys whole: a 60 kB key would come back as a 60 kB message.
  const message = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.slice(0, 5).map((key) => `"${excerpt(key)}"`).join(', ')}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}` : issue.message;
  return new InputError('INVALID_BODY', message, { field });
}

/** 400 for an `InputError`; anything else is rethrown (the adapter answers it as a 500). */
export function inputErrorAnswer(error: unknown): JsonAnswer {
  if (!(error instanceof InputError)) throw error;
  return errorAnswer(400, error.code, error.message, error.location.field);
}
