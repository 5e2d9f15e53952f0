import escapeHtml from 'escape-html';

/**
 * Text and attribute values for SVG and HTML built as strings: everything that
 * can come from data (column names, category values, file names) goes through
 * here, so a customer value like `<script>` is shown, never run.
 */
export function escapeText(text: string | number): string {
  return escapeHtml(String(text));
}

/** Coordinates to two decimals: a path of hundreds of points stays small, and sub-pixel precision is invisible. */
export function coordinate(value: number): string {
  return (Math.round(value * 100) / 100).toString();
}
