/** Number formats for the report page: fixed, locale-free, so a report reads the same everywhere. */

/** 0.1234 → "12.3 %". */
export function percent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}\u00a0%`;
}

/** 0.98765 → "0.988": metrics such as AUC. */
export function decimal(value: number, digits = 3): string {
  return value.toFixed(digits);
}

/** 12345.6 → "12,346"; money and counts, grouped by thousands, negative with a minus sign. */
export function amount(value: number): string {
  const rounded = Math.round(value);
  const grouped = Math.abs(rounded).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `−${grouped}` : grouped;
}
