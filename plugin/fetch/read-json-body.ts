/**
 * Reading a route's JSON body from a web-standard `Request` the way the Express router reads
 * it, so both adapters answer the same request the same way: only an uncompressed UTF-8
 * `application/json` body is read (anything else is a 415, bytes that are not UTF-8 a 400),
 * an empty one or one cut short is a 400, the top level must be an object or an array, and
 * the size limit is enforced while the body streams in, not after it has been buffered whole.
 */
import { bodyTooLarge, emptyBody, invalidJson, invalidUtf8, requestAborted, unsafeBodyAnswer, unsupportedBodyAnswer } from '../validation/transport-answers.js';
import type { JsonAnswer } from '../validation/http-error.js';

/** The parsed body, or the answer refusing it. */
export type BodyReading = { body: unknown } | { answer: JsonAnswer };

/**
 * Reads and checks the JSON body of `request`, at most `limitBytes`.
 *
 * @example
 * const reading = await readJsonBody(request, 1024 * 1024);
 * if ('answer' in reading) return respond(reading.answer);
 */
export async function readJsonBody(request: Request, limitBytes: number): Promise<BodyReading> {
  const unsupported = unsupportedBodyAnswer(request.headers.get('content-type'), request.headers.get('content-encoding'));
  if (unsupported !== null) {
    await request.body?.cancel();
    return { answer: unsupported };
  }
  if (request.body === null) return { answer: emptyBody() };
  if (Number(request.headers.get('content-length')) > limitBytes) {
    await request.body.cancel();
    return { answer: bodyTooLarge() };
  }
  const text = await readText(request.body, limitBytes);
  if (typeof text !== 'string') return { answer: text };
  if (text === '') return { answer: emptyBody() };
  // Like Express's strict JSON parser: a bare string or number is not a body. Only JSON's
  // own whitespace may come first (`trim()` also drops U+00A0 and the like, which JSON.parse refuses).
  const first = text[text.search(/[^ \t\n\r]/)];
  if (first !== '{' && first !== '[') return { answer: invalidJson() };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { answer: invalidJson() };
  }
  const unsafe = unsafeBodyAnswer(body);
  return unsafe === null ? { body } : { answer: unsafe };
}

/**
 * The body as text, or the answer refusing it once it passes `limitBytes`, is not UTF-8 (the
 * rest is not read) or stops before its end.
 */
async function readText(stream: ReadableStream<Uint8Array>, limitBytes: number): Promise<string | JsonAnswer> {
  const reader = stream.getReader();
  // Fatal: a byte that is not UTF-8 is refused rather than read as U+FFFD (two customer ids
  // differing only there would be one customer).
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let received = 0;
  let text = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The stream errors when the client goes away mid-body (Deno: "unexpected EOF while
      // reading HTTP/1 body", Bun: AbortError). Any client can do that at will, so it is the
      // client's 400, as Express's body parser answers it, not an INTERNAL error for onError.
      return requestAborted();
    }
    const { done, value } = chunk;
    received += value?.byteLength ?? 0;
    if (received > limitBytes) {
      await reader.cancel();
      return bodyTooLarge();
    }
    const decoded = decodeUtf8(decoder, value);
    if (decoded === null) {
      if (!done) await reader.cancel();
      return invalidUtf8();
    }
    text += decoded;
    if (done) return text;
  }
}

/** The next piece of text (the decoder's end when `bytes` is undefined), or null for bytes that are not UTF-8. */
function decodeUtf8(decoder: TextDecoder, bytes: Uint8Array | undefined): string | null {
  try {
    return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
  } catch {
    return null;
  }
}
