/**
 * Splits one CSV line into fields (RFC 4180 quoting: `"a, b"`, `"say ""hi"""`). Event logs
 * are one event per line, so a quoted field may not contain a line break; returns undefined
 * when a quote is left open, so the reader can report the line.
 */
export function splitCsvLine(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (inQuotes) {
      if (char === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        field += char;
      }
    } else if (char === '"') {
      inQuotes = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  if (inQuotes) return undefined;
  fields.push(field);
  return fields;
}
