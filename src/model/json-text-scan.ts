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
 * A resumable scan: `scan(until)` advances to (about) offset `until`, so a caller can scan a
 * large text in slices and give the event loop a turn between them.
 *
 * @example
 * const scanner = new JsonTextScanner(text, { maxDepth: 32, maxValues: 500_000 });
 * let shape = scanner.scan(text.length);
 */
export class JsonTextScanner {
  private offset = 0;
  private depth = 0;
  private values = 0;
  private inString = false;

  /** The character (or byte) code at an offset, and the next double quote from an offset (-1 if none). */
  private readonly codeAt: (offset: number) => number;
  private readonly nextQuote: (from: number) => number;
  private readonly length: number;

  constructor(
    text: string | Uint8Array,
    private readonly limits: { readonly maxDepth: number; readonly maxValues: number },
  ) {
    this.length = text.length;
    if (typeof text === 'string') {
      this.codeAt = (offset) => text.charCodeAt(offset);
      this.nextQuote = (from) => text.indexOf('"', from);
    } else {
      this.codeAt = (offset) => text[offset] ?? Number.NaN;
      this.nextQuote = (from) => text.indexOf(0x22, from);
    }
  }

  /** Scans up to offset `until` (a string crossing it is finished first); `undefined` while text remains. */
  scan(until: number): JsonTextShape | undefined {
    const { limits, codeAt } = this;
    const end = Math.min(until, this.length);
    while (this.offset < end) {
      if (this.inString) {
        if (!this.skipString()) return { kind: 'scanned', openAtEnd: true };
        continue;
      }
      const char = codeAt(this.offset);
      if (char === 0x22 /* " */) {
        this.inString = true;
      } else if (char === 0x5b /* [ */ || char === 0x7b /* { */) {
        if (++this.depth > limits.maxDepth) return { kind: 'too-deep', offset: this.offset };
        if (++this.values > limits.maxValues) return { kind: 'too-many-values', offset: this.offset };
      } else if (char === 0x5d /* ] */ || char === 0x7d /* } */) {
        this.depth--;
      } else if (char === 0x2c /* , */) {
        if (++this.values > limits.maxValues) return { kind: 'too-many-values', offset: this.offset };
      }
      this.offset++;
    }
    return this.offset >= this.length ? { kind: 'scanned', openAtEnd: this.inString || this.depth > 0 } : undefined;
  }

  /** From inside a string, moves past its closing quote; false when the text ends first. */
  private skipString(): boolean {
    const { codeAt } = this;
    let from = this.offset + 1;
    for (;;) {
      const quote = this.nextQuote(from);
      if (quote < 0) {
        this.offset = this.length;
        return false;
      }
      // A quote preceded by an odd run of backslashes is escaped. Each run is counted once.
      let backslashes = 0;
      while (codeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
      from = quote + 1;
      if (backslashes % 2 === 0) {
        this.offset = from;
        this.inString = false;
        return true;
      }
    }
  }
}
