import type { CreateOfferParamsSchema, CreatePublisherParamsSchema, Offer, Publisher } from '@waypost/schema';
import type { z } from 'zod';
import { newId, newSecret } from './ids.js';

/**
 * A new offer from validated create params: unset optional fields become null, currency defaults to the account's. It
 * goes into `options.workspaceId`, which the caller decided (engine/workspaces.ts, workspaceForCreate).
 */
export function newOffer(params: z.output<typeof CreateOfferParamsSchema>, options: { currency: string; now: Date; workspaceId: string }): Offer {
  const now = options.now.toISOString();
  const { workspaceId: _, ...fields } = params;
  return {
    expiresAt: null,
    leadType: null,
    revenue: null,
    cap: null,
    affiliateNetworkId: null,
    staticUrl: null,
    group: null,
    notes: null,
    email: null,
    ...fields,
    keywords: fields.keywords ?? null,
    archive: null,
    currency: params.currency ?? options.currency,
    workspaceId: options.workspaceId,
    id: newId('off_', options.now),
    postbackToken: newSecret(),
    archivedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** A new publisher from validated create params. */
export function newPublisher(params: z.output<typeof CreatePublisherParamsSchema>, now: Date): Publisher {
  return {
    email: null,
    postbackUrl: null,
    postbackSecret: null,
    ...params,
    id: newId('pub_', now),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}
