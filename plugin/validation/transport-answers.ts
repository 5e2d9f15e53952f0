/**
 * The answers an adapter gives around a route, the same from every adapter: a body no
 * route should see (not sent as UTF-8 JSON, too large, not JSON, carrying a
 * prototype-poisoning key or nested too deep), and a route that threw.
 */
import { excerpt } from '../../src/errors.js';
import { errorAnswer, type JsonAnswer } from './http-error.js';
import { findUnsafeKey } from './unsafe-keys.js';

/**
 * The 415 answer for a request to a JSON route whose body is not plain UTF-8 JSON (checked
 * before a byte of it is read), or null when it is. A `text/plain` body (what `fetch` sends
 * for a string) is refused rather than ignored: read as "no body", a score request would be
 * answered with the anonymous prior, as if it named no customer.
 *
 * @example
 * unsupportedBodyAnswer('text/plain;charset=UTF-8', null)?.status; // 415
 * unsupportedBodyAnswer('application/json; charset=utf-8', null); // null
 */
export function unsupportedBodyAnswer(contentType: string | null | undefined, contentEncoding: string | null | undefined): JsonAnswer | null {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map(trimHttpWhitespace);
  if (mediaType.toLowerCase() !== 'application/json') {
    const given = contentType ? `Content-Type "${excerpt(contentType)}"` : 'no Content-Type';
    return errorAnswer(415, 'UNSUPPORTED_MEDIA_TYPE', `expected a JSON body sent with Content-Type: application/json, got ${given}`);
  }
  const charset = parameters.find((parameter) => parameter.toLowerCase().startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (charset !== undefined && !['utf-8', 'utf8'].includes(charset.toLowerCase())) {
    return errorAnswer(415, 'UNSUPPORTED_CHARSET', `charset "${excerpt(charset)}" is not supported; send the JSON body as UTF-8`);
  }
  if (contentEncoding && trimHttpWhitespace(contentEncoding).toLowerCase() !== 'identity') {
    return errorAnswer(415, 'UNSUPPORTED_ENCODING', `content-encoding "${excerpt(contentEncoding)}" is not supported; send the JSON body uncompressed`);
  }
  return null;
}

/**
 * Without HTTP's whitespace around it, the space and the tab (RFC 9110, 5.6.3), and nothing
 * else: `trim()` also drops U+00A0 (a header's byte 0xA0), which Express's body parser does
 * not, so "application/json\u00a0" was JSON to the fetch handler and not to Express.
 */
function trimHttpWhitespace(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

export const bodyTooLarge = (): JsonAnswer => errorAnswer(413, 'BODY_TOO_LARGE', 'request body exceeds the size limit');

export const invalidJson = (): JsonAnswer => errorAnswer(400, 'INVALID_JSON', 'request body is not a JSON object or array');

/** An empty body sent as JSON: read as `{}`, a score request would be answered with the anonymous prior. */
export const emptyBody = (): JsonAnswer => errorAnswer(400, 'INVALID_JSON', 'request body is empty; expected a JSON object or array');

/**
 * A body that is not UTF-8 (JSON text must be). Decoded anyway, every invalid byte would
 * become U+FFFD, and two customer ids that differ only there would be read as one customer.
 */
export const invalidUtf8 = (): JsonAnswer => errorAnswer(400, 'INVALID_JSON', 'request body is not valid JSON: it is not UTF-8');

/**
 * The 400 answer for a parsed body with an unsafe key, or null when it is safe.
 *
 * @example
 * unsafeBodyAnswer(JSON.parse('{"__proto__":{}}'))?.status; // 400
 */
export function unsafeBodyAnswer(body: unknown): JsonAnswer | null {
  const unsafe = findUnsafeKey(body);
  return unsafe === null ? null : errorAnswer(400, 'UNSAFE_KEY', `field "${excerpt(unsafe.field)}": ${unsafe.message}`, unsafe.field);
}

/**
 * A body that stopped before its end: the client went away (or its connection broke) while
 * sending it. Express's body parser answers this 400 in these words; no client is left to read it.
 */
export const requestAborted = (): JsonAnswer => errorAnswer(400, 'BAD_REQUEST', 'request aborted');

/** A request whose URL does not parse: the runtime built it from a Host header that is not a host (RFC 9112 answers that with 400). */
export const unparsableUrl = (): JsonAnswer => errorAnswer(400, 'BAD_REQUEST', 'the request URL does not parse: send a valid Host header');

/** A route threw something that is not an answer: a 500 that reveals no internals. */
export const internalError = (): JsonAnswer => errorAnswer(500, 'INTERNAL', 'internal error in the churnkit router');
