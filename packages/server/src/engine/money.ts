import type { AppContext } from '../context.js';
import { convertMoney, type FxTable } from '../domain/index.js';

/** The FX table for money math: the stored rates and the account currency. */
export async function loadFx({ store, config }: Pick<AppContext, 'store' | 'config'>): Promise<FxTable> {
  const rates: Record<string, string> = {};
  for (const { currency, rate } of await store.fxRates.all()) rates[currency] = rate;
  return { accountCurrency: config.currency, rates };
}

/**
 * Minor units of the offer currency in the account currency, for reports and balances. Without a stored rate the
 * account figure is 0; the conversion keeps its exact offer-currency amounts, so nothing is lost.
 */
export function toAccount(minor: number, offerCurrency: string, fx: FxTable): number {
  if (minor === 0) return 0;
  const converted = convertMoney(minor, offerCurrency, fx.accountCurrency, fx);
  return converted.ok ? converted.minor : 0;
}
