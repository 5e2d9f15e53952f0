import type { CategoryNormalization } from './feature-spec.js';

/**
 * Spelling variants found in real store exports (the public e-commerce churn data
 * mixes "Phone" and "Mobile Phone", "CC" and "Credit Card", ...). Keys are compared
 * after case/whitespace folding.
 */
export const DEFAULT_CATEGORY_ALIASES: readonly (readonly [string, string])[] = [
  ['Phone', 'Mobile Phone'],
  ['Mobile', 'Mobile Phone'],
  ['CC', 'Credit Card'],
  ['COD', 'Cash on Delivery'],
];

/** Trims, collapses runs of whitespace and lower-cases: "  Credit  card " → "credit card". */
export function foldSpelling(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Builds the function mapping a raw category string to its comparison key: the folded
 * spelling (when enabled), with aliases replaced by the folded canonical spelling.
 */
export function createCategoryKey(normalization: CategoryNormalization): (text: string) => string {
  const fold = normalization.foldCase ? foldSpelling : (text: string) => text.trim();
  const aliases = new Map<string, string>();
  for (const [variant, canonical] of normalization.aliases) aliases.set(fold(variant), fold(canonical));
  return (text) => {
    const key = fold(text);
    return aliases.get(key) ?? key;
  };
}

/** The canonical spelling an alias points to, if `text` is an alias. */
export function canonicalSpelling(normalization: CategoryNormalization, key: string): string | undefined {
  const fold = normalization.foldCase ? foldSpelling : (text: string) => text.trim();
  for (const [, canonical] of normalization.aliases) if (fold(canonical) === key) return canonical;
  return undefined;
}
