export interface CsvColumn {
  /** The row property the column reads. */
  key: string;
  header: string;
}

// A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
// Money travels as decimal strings ("-5.00"); those must stay numbers in a spreadsheet, not become text.
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
// A spreadsheet may split on ";" as well as ",", so either separator needs quotes, and a formula that would start
// right after one of them, even inside quotes, gets a `'` too (README, Security).
const NEEDS_QUOTES = /[",;\r\n]/;
const FORMULA_AFTER_SEPARATOR = /([,;])(?=[=+\-@])/g;

function cellText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (PLAIN_NUMBER.test(text)) return text;
  const inner = text.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return FORMULA_START.test(inner) ? `'${inner}` : inner;
}

function cell(value: unknown): string {
  const text = cellText(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 CSV: a header row, then one record per row, each ended by CRLF. null and undefined are empty cells,
 * dates ISO 8601, objects JSON. A string that a spreadsheet would run as a formula gets a leading `'`, and so does
 * every part of it after a `,` or `;` that would start one; a cell holding either separator is quoted.
 */
export function toCsv(columns: readonly CsvColumn[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map((column) => cell(column.header))];
  for (const row of rows) {
    lines.push(columns.map((column) => cell(Object.hasOwn(row, column.key) ? row[column.key] : undefined)));
  }
  return lines.map((line) => `${line.join(',')}\r\n`).join('');
}
