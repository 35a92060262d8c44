export interface CsvColumn {
  /** The row property the column reads. */
  key: string;
  header: string;
}

// A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
// Money travels as decimal strings ("-5.00"); those must stay numbers in a spreadsheet, not become text.
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const NEEDS_QUOTES = /[",\r\n]/;

function cellText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function cell(value: unknown): string {
  const text = cellText(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 CSV: a header row, then one record per row, each ended by CRLF. null and undefined are empty cells,
 * dates ISO 8601, objects JSON. A string that a spreadsheet would run as a formula gets a leading `'`.
 */
export function toCsv(columns: readonly CsvColumn[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map((column) => cell(column.header))];
  for (const row of rows) {
    lines.push(columns.map((column) => cell(Object.hasOwn(row, column.key) ? row[column.key] : undefined)));
  }
  return lines.map((line) => `${line.join(',')}\r\n`).join('');
}
