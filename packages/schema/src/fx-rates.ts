import { z } from 'zod';
import { CurrencySchema, RateSchema, TimestampSchema } from './primitives.js';

/** Each rate is the number of account-currency units for one unit of the keyed currency. */
export const PutFxRatesParamsSchema = z.strictObject({
  rates: z.record(CurrencySchema, RateSchema).refine((rates) => Object.keys(rates).length <= 200, 'must have at most 200 rates'),
});
export type PutFxRatesParams = z.input<typeof PutFxRatesParamsSchema>;

export const FxRateSchema = z.object({ currency: z.string(), rate: z.string(), updatedAt: TimestampSchema });
export type FxRate = z.infer<typeof FxRateSchema>;

export const FxRatesSchema = z.object({ base: z.string(), data: z.array(FxRateSchema) });
export type FxRates = z.infer<typeof FxRatesSchema>;
