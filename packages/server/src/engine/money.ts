import { parseMoney } from '@waypost/schema';
import type { AppContext } from '../context.js';
import {
  computeConversionPayout,
  type ConversionMoney,
  convertMoney,
  type DomainError,
  type FxTable,
  isFxRateMissingError,
  type PayoutOffer,
  type PayoutReason,
  type PersonalPayoutRule,
} from '../domain/index.js';
import type { ConversionRecord } from '../storage/store.js';

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

/** The money of one conversion as it is stored, and why its payout is 0 when the rule would pay. */
export type ConversionPrice = Pick<ConversionRecord, 'payout' | 'revenue' | 'fxRate' | 'payoutAccount' | 'revenueAccount' | 'amountAccount' | 'awaitingFx'> & {
  reason: PayoutReason | null;
};

/**
 * Prices one conversion: payout and revenue in the offer currency, and their account-currency figures. A missing FX
 * rate never refuses the conversion (a sale must not be lost for want of a rate): what it cannot price yet is 0, and
 * `awaitingFx` names the currency whose rate it waits for, until that rate is stored and engine/fx-rates.ts prices
 * it. Any other fault of the money (an unknown currency, an amount that is not one) is the error.
 */
export function priceConversion(
  offer: PayoutOffer,
  money: ConversionMoney,
  personalPayouts: readonly PersonalPayoutRule[],
  fx: FxTable,
): { ok: true; price: ConversionPrice } | { ok: false; error: DomainError } {
  const computed = computeConversionPayout(offer, money, personalPayouts, fx);
  if (!computed.ok) {
    if (!isFxRateMissingError(computed.error)) return computed;
    // The sale's currency has no rate into the offer currency: nothing of the money is known yet.
    const price = { payout: 0, revenue: 0, fxRate: null, payoutAccount: 0, revenueAccount: 0, amountAccount: 0, awaitingFx: computed.error.currency, reason: null };
    return { ok: true, price };
  }
  // The offer-currency money is known; its account figures (reports, balances, payments) may still wait for the
  // offer currency's rate.
  let awaitingFx: string | null = null;
  const inAccount = (minor: number, currency = offer.currency): number => {
    if (minor === 0) return 0;
    const converted = convertMoney(minor, currency, fx.accountCurrency, fx);
    if (converted.ok) return converted.minor;
    if (isFxRateMissingError(converted.error)) awaitingFx = converted.error.currency;
    return 0;
  };
  const payoutAccount = inAccount(computed.payout);
  const revenueAccount = inAccount(computed.revenue);
  // The sale for the reports' sales figure, from its own currency (rounded once, not through the offer currency).
  const saleCurrency = money.currency ?? offer.currency;
  const sale = money.amount == null ? undefined : parseMoney(money.amount, saleCurrency);
  const amountAccount = sale?.ok ? inAccount(sale.minor, saleCurrency) : 0;
  const { payout, revenue, fxRate, reason } = computed;
  return { ok: true, price: { payout, revenue, fxRate, payoutAccount, revenueAccount, amountAccount, awaitingFx, reason } };
}
