/**
 * Every engine sanitises inputs the same way before a forward pass: NaN becomes 0 and
 * values are clamped to ±INPUT_LIMIT (Infinity included), so no weighted sum can
 * overflow float32 and no probability can be NaN. Must match `assembly/sanitize-input.ts`.
 */
export const INPUT_LIMIT = 1e9;

export function sanitizeInput(x: number): number {
  if (x !== x) return 0;
  return x > INPUT_LIMIT ? INPUT_LIMIT : x < -INPUT_LIMIT ? -INPUT_LIMIT : x;
}
