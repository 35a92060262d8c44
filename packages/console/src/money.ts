import { currencyExponent } from '@waypost/schema';

/** The number of decimals of a currency (JPY 0, USD 2, KWD 3); 2 for a code the console does not know. */
export function decimalsOf(currency: string): number {
  return currencyExponent(currency) ?? 2;
}

/**
 * Formats a decimal-string amount in its currency with exactly the currency's decimals: "10" USD → "$10.00",
 * "1500" JPY → "¥1,500", "1.5" KWD → "KWD 1.500". The string goes to Intl as is, never through a float.
 */
export function formatAmount(amount: string, currency: string): string {
  const decimals = decimalsOf(currency);
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    return format.format(amount as unknown as number);
  } catch {
    return `${amount} ${currency}`;
  }
}

/**
 * Pads a typed amount to the currency's decimals ("10" → "10.00", "9.5" → "9.50" in USD), leaving anything that is not
 * a plain decimal, or that has too many decimals, for validation to name.
 */
export function normaliseAmountInput(value: string, currency: string): string {
  const trimmed = value.trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(trimmed);
  if (!match) return value;
  const decimals = decimalsOf(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) return trimmed;
  return decimals === 0 ? match[1]! : `${match[1]}.${fraction.padEnd(decimals, '0')}`;
}
