/**
 * The demo app's last error handler, for what fails outside the plugin's router (which
 * answers its own): without it Express's default handler answers an HTML page with the
 * stack, server paths included, since nothing sets NODE_ENV=production for `npm start`.
 */
import type { ErrorRequestHandler } from 'express';
import { errorAnswer } from '../validation/http-error.js';

/**
 * Answers in the plugin's error shape, `{ error: { code, message } }`: a client error (a URL
 * that does not decode, …) with its own status as `BAD_REQUEST`, anything else as a 500
 * `INTERNAL` whose error, stack included, goes to `log` only.
 *
 * @example
 * app.use(answerErrors((line) => console.error(line)));
 */
export function answerErrors(log: (line: string) => void): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Part of an answer is out: Express's handler can only cut the connection.
    if (res.headersSent) return next(error);
    const { status, expose } = (error ?? {}) as { status?: number; expose?: boolean };
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // A URIError's message quotes the undecodable text back; http-errors marks the messages meant to be shown.
      const message = error instanceof URIError ? 'the URL is not valid percent-encoding' : expose === true && error instanceof Error ? error.message : 'bad request';
      const answer = errorAnswer(status, 'BAD_REQUEST', message);
      res.status(answer.status).json(answer.body);
      return;
    }
    log(`${req.method} ${req.originalUrl} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const answer = errorAnswer(500, 'INTERNAL', 'internal error in the demo store');
    res.status(answer.status).json(answer.body);
  };
}
