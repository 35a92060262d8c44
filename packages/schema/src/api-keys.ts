import { z } from 'zod';
import { IdSchema, TimestampSchema } from './primitives.js';

export const ApiKeyRoleSchema = z.enum(['admin', 'publisher']);
export type ApiKeyRole = z.infer<typeof ApiKeyRoleSchema>;

export const CreateApiKeyParamsSchema = z
  .strictObject({
    role: ApiKeyRoleSchema,
    publisherId: IdSchema.optional(),
    name: z.string().trim().max(200).optional(),
    /** Limits an admin key to one workspace (README, Workspaces); without it the key reaches every workspace. */
    workspaceId: IdSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.role === 'publisher' && value.publisherId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['publisherId'], message: 'is required for a publisher key' });
    }
    if (value.role === 'admin' && value.publisherId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['publisherId'], message: 'is only allowed for a publisher key' });
    }
    if (value.role === 'publisher' && value.workspaceId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['workspaceId'], message: 'is only allowed for an admin key' });
    }
  });
export type CreateApiKeyParams = z.input<typeof CreateApiKeyParamsSchema>;

export const ApiKeySchema = z.object({
  id: IdSchema,
  name: z.string().nullable(),
  role: ApiKeyRoleSchema,
  publisherId: IdSchema.nullable(),
  /** The one workspace an admin key is limited to; null reaches every workspace. */
  workspaceId: IdSchema.nullable(),
  /** The first characters of the key, to tell keys apart; the key itself is shown once, at creation. */
  prefix: z.string(),
  createdAt: TimestampSchema,
  revokedAt: TimestampSchema.nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** The answer to a key creation: the only time the secret is shown. */
export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;
