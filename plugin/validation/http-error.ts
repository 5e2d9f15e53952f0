/**
 * The one shape of every error the router answers with:
 * `{ "error": { "code", "message", "field"? } }`, where `field` is the dotted path of
 * the offending body field (`items.3.record.Tenure`) when there is one.
 */
import type { Response } from 'express';
import type { z } from 'zod';
import { InputError } from '../../src/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Sends an error response in the router's shape. */
export function sendError(res: Response, status: number, code: string, message: string, field?: string): void {
  const error: ErrorBody['error'] = field === undefined ? { code, message } : { code, message, field };
  res.status(status).json({ error });
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
  return new InputError('INVALID_BODY', issue.message, { field });
}

/** Answers 400 for an `InputError`; anything else is rethrown to Express. */
export function sendInputError(res: Response, error: unknown): void {
  if (!(error instanceof InputError)) throw error;
  sendError(res, 400, error.code, error.message, error.location.field);
}
