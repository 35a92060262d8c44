import { isCurrencyCode, parseDecimal } from '@waypost/schema';
import { ratesFromQuotes } from '../domain/index.js';

/** One day of the European Central Bank's reference rates: units of each currency for one euro. */
export interface EcbRates {
  /** The day the rates are for, `YYYY-MM-DD`. */
  time: string;
  /** `{ USD: "1.0163", JPY: "138.05" }`, as the feed writes them. */
  perEuro: Record<string, string>;
}

export class FxFeedError extends Error {
  override readonly name = 'FxFeedError';
}

const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RATE = /^\d{1,12}(\.\d{1,12})?$/;

/**
 * Reads a rates feed in the ECB's XML format (`eurofxref-daily.xml`, or the 90-day file, whose newest day is taken):
 * `<Cube><Cube time="2022-07-08"><Cube currency="USD" rate="1.0163"/>…</Cube></Cube>`. A small parser that knows only
 * `Cube` elements, and is strict about them: a `Cube` with a currency outside a dated `Cube`, a malformed day, code or
 * rate, or a feed without rates is refused, naming what is wrong, rather than half read. A code that is not a current
 * ISO 4217 currency (the feed's history has some) is left out.
 */
export function parseEcbRates(xml: string): EcbRates {
  const days = new Map<string, Record<string, string>>();
  let day: string | undefined;
  let depth = 0;
  // Comments and the XML declaration hold no Cube; CDATA has no place in this format.
  const text = xml.replace(/<!--[\s\S]*?-->/g, '');
  if (text.includes('<![CDATA[')) throw new FxFeedError('the feed has CDATA, which the ECB format has not');
  for (const tag of text.matchAll(/<(\/?)Cube\b([^>]*?)(\/?)>/g)) {
    const [, closing, body = '', selfClosing] = tag;
    if (closing) {
      if (depth === 0) throw new FxFeedError('the feed closes a Cube it never opened');
      depth -= 1;
      if (depth < 2) day = undefined;
      continue;
    }
    const attributes = Object.fromEntries([...body.matchAll(ATTRIBUTE)].map(([, name, double, single]) => [name!, double ?? single ?? '']));
    if (attributes.time !== undefined) {
      if (!DAY.test(attributes.time)) throw new FxFeedError(`the feed's day "${attributes.time.slice(0, 20)}" is not YYYY-MM-DD`);
      day = attributes.time;
      if (!days.has(day)) days.set(day, {});
    } else if (attributes.currency !== undefined || attributes.rate !== undefined) {
      const { currency = '', rate = '' } = attributes;
      if (!day) throw new FxFeedError(`the rate of "${currency.slice(0, 8)}" is outside a dated Cube`);
      if (!/^[A-Z]{3}$/.test(currency)) throw new FxFeedError(`"${currency.slice(0, 8)}" is not a currency code`);
      const parsed = RATE.test(rate) ? parseDecimal(rate) : undefined;
      if (!parsed?.ok || parsed.digits === 0n) throw new FxFeedError(`the rate of ${currency}, "${rate.slice(0, 24)}", is not a positive decimal`);
      if (isCurrencyCode(currency)) days.get(day)![currency] = rate;
    }
    if (!selfClosing) depth += 1;
  }
  if (depth !== 0) throw new FxFeedError('the feed ends inside a Cube');
  const newest = [...days.keys()].sort().at(-1);
  if (!newest || Object.keys(days.get(newest)!).length === 0) throw new FxFeedError('the feed has no rates');
  return { time: newest, perEuro: days.get(newest)! };
}

/**
 * The feed's rates as the FX table wants them (`PUT /v1/fx-rates`): account-currency units for one unit of each
 * currency, crossed through the euro, which gets a rate too unless it is the account currency.
 */
export function ratesInAccountCurrency({ perEuro }: EcbRates, accountCurrency: string): Record<string, string> {
  const rates = ratesFromQuotes('EUR', perEuro, accountCurrency);
  if (!rates) throw new FxFeedError(`the feed has no rate for the account currency ${accountCurrency} (WAYPOST_CURRENCY)`);
  return rates;
}
