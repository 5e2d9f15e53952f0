/**
 * Tells a cut-off JSON document from a malformed one, so a half-downloaded or
 * half-written model file is reported as truncated: walks the text tracking
 * strings and bracket depth and reports whether it ends with something still open.
 */
export function looksTruncated(text: string): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (char === 0x5c /* \ */) escaped = true;
      else if (char === 0x22 /* " */) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x7b /* { */ || char === 0x5b /* [ */) depth++;
    else if (char === 0x7d /* } */ || char === 0x5d /* ] */) depth--;
  }
  return inString || depth > 0;
}
