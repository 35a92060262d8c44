import { z } from 'zod';
import { ConversionStatusSchema, IdSchema, TimestampSchema } from './primitives.js';

/** A network macro as the network writes it, such as `{aff_sub}` or `#s2#`. */
const MacroSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\s&=?#]*(#[^\s&=?#]*#)?[^\s&=?]*$/, 'must be a single macro token such as "{aff_sub}"');

export const NetworkMacrosSchema = z.strictObject({
  clickId: MacroSchema,
  amount: MacroSchema.optional(),
  payout: MacroSchema.optional(),
  transactionId: MacroSchema.optional(),
  status: MacroSchema.optional(),
});

/** Translates a network's own status values into Waypost's, before the alias table applies. */
export const StatusMapSchema = z
  .record(z.string().trim().min(1).max(64), z.union([ConversionStatusSchema, z.literal('rebill')]))
  .refine((map) => Object.keys(map).length <= 100, 'must have at most 100 entries');

const networkFields = {
  name: z.string().trim().min(1).max(200),
  /** URL parameter the network reads its click id from when `offer.appendClickId` is set. */
  clickIdParam: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a URL parameter name such as "aff_sub"'),
  macros: NetworkMacrosSchema,
  statusMap: StatusMapSchema,
};

export const CreateAffiliateNetworkParamsSchema = z.strictObject({
  ...networkFields,
  statusMap: networkFields.statusMap.default({}),
});
export type CreateAffiliateNetworkParams = z.input<typeof CreateAffiliateNetworkParamsSchema>;

export const UpdateAffiliateNetworkParamsSchema = z.strictObject(networkFields).partial();
export type UpdateAffiliateNetworkParams = z.input<typeof UpdateAffiliateNetworkParamsSchema>;

export const AffiliateNetworkSchema = z.object({
  id: IdSchema,
  name: z.string(),
  clickIdParam: z.string(),
  macros: NetworkMacrosSchema,
  statusMap: z.record(z.string(), z.string()),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type AffiliateNetwork = z.infer<typeof AffiliateNetworkSchema>;
