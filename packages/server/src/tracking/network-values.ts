// Values as networks send them (README, Postback parameters and statuses): a macro the network could not fill arrives
// as its own placeholder, and some networks write amounts with a decimal comma.

// `{amount}`, `{{amount}}`, `[amount]`, `#amount#`, or the braces percent-encoded once more (`%7Bamount%7D`).
const PLACEHOLDER = /^(?:\{\{?\s*[\w.:-]+\s*\}?\}|%7B[\w.:-]+%7D|\[[\w.:-]+\]|#[\w.:-]+#)$/i;

/** Whether a value is only an unfilled placeholder, which counts as absent like an empty value. */
export function isUnfilledPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

// One comma before one or two digits, and no point: `12,34` or `0,5`. `1,234` and `1,234.50` are left as they are,
// to be refused by the money parser rather than guessed at.
const DECIMAL_COMMA = /^([+-]?\d*),(\d{1,2})$/;

/** An amount with its decimal comma read as a point (`12,34` → `12.34`); any other value unchanged. */
export function withDecimalPoint(value: string): string {
  return value.replace(DECIMAL_COMMA, '$1.$2');
}
