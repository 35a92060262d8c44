import { z } from 'zod';
import { POSTBACK_PARAM_ALIASES } from './postbacks.js';
import { ConversionStatusSchema, IdSchema, TimestampSchema } from './primitives.js';

/** A network macro as the network writes it, such as `{aff_sub}` or `#s2#`. */
const MacroSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\s&=?#]*(#[^\s&=?#]*#)?[^\s&=?]*$/, 'must be a single macro token such as "{aff_sub}"');

/**
 * What the network fills in the offer's postback URL, per canonical parameter. The postback URL carries only the
 * parameters named here (and always `click_id` and `token`), so a network never sends a literal `{amount}`.
 */
export const NetworkMacrosSchema = z.strictObject({
  /** Optional only for a network that sends the click id under a fixed name of its own (`params.click_id`). */
  clickId: MacroSchema.optional(),
  amount: MacroSchema.optional(),
  payout: MacroSchema.optional(),
  transactionId: MacroSchema.optional(),
  status: MacroSchema.optional(),
  currency: MacroSchema.optional(),
  event: MacroSchema.optional(),
  coupon: MacroSchema.optional(),
});
export type NetworkMacros = z.infer<typeof NetworkMacrosSchema>;

/** A plain parameter name as a network sends it, such as `cnv_id` or `u1`. */
const ParamNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a plain parameter name such as "cnv_id"');

/**
 * The fixed names a network posts to, per canonical name (`{ "click_id": "cnv_id", "payout": "sum" }`). They apply to
 * postbacks for offers that use the network, beside the aliases. The token's name never changes.
 */
export const NetworkParamsSchema = z
  .strictObject({
    click_id: ParamNameSchema.optional(),
    transaction_id: ParamNameSchema.optional(),
    amount: ParamNameSchema.optional(),
    payout: ParamNameSchema.optional(),
    currency: ParamNameSchema.optional(),
    status: ParamNameSchema.optional(),
    event: ParamNameSchema.optional(),
    coupon: ParamNameSchema.optional(),
    offer_id: ParamNameSchema.optional(),
    country: ParamNameSchema.optional(),
  })
  .superRefine((params, ctx) => {
    // One name read as two parameters would be a guess, and so would a name the aliases read as another parameter.
    const seen = new Map<string, string>(
      Object.entries(POSTBACK_PARAM_ALIASES).flatMap(([canonical, names]) => names.map((name) => [name.toLowerCase(), canonical] as [string, string])),
    );
    for (const [canonical, name] of Object.entries(params)) {
      if (name === undefined) continue;
      const earlier = seen.get(name.toLowerCase());
      if (earlier !== undefined && earlier !== canonical) ctx.addIssue({ code: 'custom', path: [canonical], message: `"${name}" already names ${earlier}` });
      seen.set(name.toLowerCase(), canonical);
    }
  });
export type NetworkParams = z.infer<typeof NetworkParamsSchema>;

/** Translates a network's own status values into Waypost's, before the alias table applies. */
export const StatusMapSchema = z
  .record(z.string().trim().min(1).max(64), z.union([ConversionStatusSchema, z.literal('rebill')]))
  .refine((map) => Object.keys(map).length <= 100, 'must have at most 100 entries');

/**
 * How a network that notifies by webhook (`POST /postback/:networkId`) sends its notifications. Built in, one module per
 * format on the server; a network gets one from its template, never by hand.
 */
export const NetworkFormatSchema = z.enum(['clickbank', 'partnerstack']);
export type NetworkFormat = z.infer<typeof NetworkFormatSchema>;

/**
 * The key that decrypts or verifies a webhook network's notifications, as the network names it (ClickBank's secret
 * key). Write-only: an answer says only whether one is set (`hasSecret`).
 */
export const NetworkSecretSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^\S+$/, 'must not contain spaces');

const networkFields = {
  name: z.string().trim().min(1).max(200),
  /** URL parameter the network reads its click id from when `offer.appendClickId` is set. */
  clickIdParam: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a URL parameter name such as "aff_sub"'),
  macros: NetworkMacrosSchema,
  params: NetworkParamsSchema,
  statusMap: StatusMapSchema,
};

/** The key of a built-in template, such as `affise`. */
export const NetworkTemplateKeySchema = z.string().trim().regex(/^[a-z0-9-]{1,64}$/, 'must be a template key such as "affise"');

/** A complete network as created: every field but the optional ones given. */
export const NetworkConfigSchema = z.strictObject({
  ...networkFields,
  params: networkFields.params.default({}),
  statusMap: networkFields.statusMap.default({}),
  format: NetworkFormatSchema.optional(),
  secret: NetworkSecretSchema.optional(),
});

/**
 * A network from scratch, or from a built-in template (`{ template: "affise" }`) with the fields given beside it
 * overriding the template's, each replacing that field whole.
 */
export const CreateAffiliateNetworkParamsSchema = z
  .strictObject({ template: NetworkTemplateKeySchema.optional(), ...networkFields, secret: NetworkSecretSchema, workspaceId: IdSchema })
  .partial()
  .superRefine((body, ctx) => {
    if (body.template !== undefined) return;
    for (const field of ['name', 'clickIdParam', 'macros'] as const) {
      if (body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is required without a template' });
    }
  });
export type CreateAffiliateNetworkParams = z.input<typeof CreateAffiliateNetworkParamsSchema>;

/** A `PATCH` replaces each field it names whole, `macros`, `params` and `statusMap` included; `secret: null` removes it. */
export const UpdateAffiliateNetworkParamsSchema = z.strictObject({ ...networkFields, secret: NetworkSecretSchema.nullable(), workspaceId: IdSchema }).partial();
export type UpdateAffiliateNetworkParams = z.input<typeof UpdateAffiliateNetworkParamsSchema>;

export const AffiliateNetworkSchema = z.object({
  id: IdSchema,
  name: z.string(),
  clickIdParam: z.string(),
  macros: NetworkMacrosSchema,
  params: z.record(z.string(), z.string()),
  statusMap: z.record(z.string(), z.string()),
  /** Set for a network that notifies by webhook (`POST /postback/:networkId`). */
  format: NetworkFormatSchema.optional(),
  /** Whether a `secret` is set; the secret itself is never returned. */
  hasSecret: z.boolean().optional(),
  workspaceId: IdSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type AffiliateNetwork = z.infer<typeof AffiliateNetworkSchema>;

/** A built-in network template (`GET /v1/affiliate-networks/templates`), written from the network's own documentation. */
export const AffiliateNetworkTemplateSchema = z.object({
  key: z.string(),
  name: z.string(),
  clickIdParam: z.string(),
  macros: NetworkMacrosSchema,
  params: z.record(z.string(), z.string()).optional(),
  statusMap: z.record(z.string(), z.string()).optional(),
  /** How the network sends its postbacks: a GET query, a form POST or a JSON POST. */
  method: z.enum(['GET', 'form', 'json']),
  /** For a network that notifies by webhook: the format of its notifications, which a network made from it takes. */
  format: NetworkFormatSchema.optional(),
  /** What to set up on the network's side, and where its documentation is unclear. */
  notes: z.string(),
  /** The network's documentation the template was written from. */
  source: z.string(),
});
export type AffiliateNetworkTemplate = z.infer<typeof AffiliateNetworkTemplateSchema>;
