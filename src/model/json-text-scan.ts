/**
 * One linear pass over a JSON text before `JSON.parse` sees it: bounds its nesting and the
 * number of values it holds (so a padded or deeply nested file is refused before it costs
 * memory), and tells a cut-off document from a malformed one (a half-written or
 * half-downloaded model file ends with an object, array or string still open).
 *
 * Strings are skipped with `indexOf` rather than character by character: a model's text is
 * mostly one long base64 string, which this crosses at memchr speed.
 *
 * It reads a string or UTF-8 bytes alike (every character it looks for is ASCII, and UTF-8
 * never uses an ASCII byte inside a multi-byte character), so a file's bytes are judged before
 * they are decoded: a padded file is refused without ever becoming a string.
 */

/** What the scan found: the first bound crossed (with its offset), or the shape at the end. */
export type JsonTextShape =
  | { readonly kind: 'too-deep'; readonly offset: number }
  | { readonly kind: 'too-many-values'; readonly offset: number }
  | { readonly kind: 'scanned'; readonly openAtEnd: boolean };

/**
 * A resumable scan: the function it returns advances to (about) offset `until`, so a caller can
 * scan a large text in slices and give the event loop a turn between them. It returns
 * `undefined` while text remains (a string crossing `until` is finished first).
 *
 * @example
 * const scan = jsonTextScanner(text, { maxDepth: 32, maxValues: 500_000 });
 * let shape = scan(text.length);
 */
export function jsonTextScanner(
  text: string | Uint8Array,
  limits: { readonly maxDepth: number; readonly maxValues: number },
): (until: number) => JsonTextShape | undefined {
  const length = text.length;
  /** The character (or byte) code at an offset, and the next double quote from an offset (-1 if none). */
  const codeAt = typeof text === 'string' ? (at: number) => text.charCodeAt(at) : (at: number) => text[at] ?? Number.NaN;
  const nextQuote = typeof text === 'string' ? (from: number) => text.indexOf('"', from) : (from: number) => text.indexOf(0x22, from);
  let offset = 0;
  let depth = 0;
  let values = 0;
  let inString = false;

  /** From inside a string, moves past its closing quote; false when the text ends first. */
  const skipString = (): boolean => {
    let from = offset + 1;
    for (;;) {
      const quote = nextQuote(from);
      if (quote < 0) {
        offset = length;
        return false;
      }
      // A quote preceded by an odd run of backslashes is escaped. Each run is counted once.
      let backslashes = 0;
      while (codeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
      from = quote + 1;
      if (backslashes % 2 === 0) {
        offset = from;
        inString = false;
        return true;
      }
    }
  };

  return (until) => {
    const end = Math.min(until, length);
    while (offset < end) {
      if (inString) {
        if (!skipString()) return { kind: 'scanned', openAtEnd: true };
        continue;
      }
      const char = codeAt(offset);
      if (char === 0x22 /* " */) {
        inString = true;
      } else if (char === 0x5b /* [ */ || char === 0x7b /* { */) {
        if (++depth > limits.maxDepth) return { kind: 'too-deep', offset };
        if (++values > limits.maxValues) return { kind: 'too-many-values', offset };
      } else if (char === 0x5d /* ] */ || char === 0x7d /* } */) {
        depth--;
      } else if (char === 0x2c /* , */) {
        if (++values > limits.maxValues) return { kind: 'too-many-values', offset };
      }
      offset++;
    }
    return offset >= length ? { kind: 'scanned', openAtEnd: inString || depth > 0 } : undefined;
  };
}
