import { PublisherSchema, UpdatePublisherParamsSchema } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import type { Api } from '../http/api.js';
import { ApiError } from '../http/errors.js';
import { refusedHost } from '../outbox/addresses.js';
import { scopedPublisherId } from './scope.js';

/** `{ postbackUrl }`: the URL, or null to stop the notifications. */
const PublisherPostbackParamsSchema = UpdatePublisherParamsSchema.pick({ postbackUrl: true }).required();

/**
 * A publisher's own postback settings (the publisher portal): its key or user may set where its conversions are
 * reported, without the admin-only `PATCH /v1/publishers/:id`, which changes its name, status and signing secret.
 */
export function publisherPostbackRoutes(api: Api, { store, clock, config }: AppContext): void {
  api.route(
    {
      method: 'put',
      path: '/v1/publishers/:id/postback',
      tag: 'Publishers',
      access: 'key',
      summary: 'Set the URL a publisher’s conversions are reported to (a publisher key or user: its own)',
      description:
        'Macros as for offer URLs plus {payout} and {status}. null stops the notifications. The signing secret stays the merchant’s to set (PATCH /v1/publishers/:id); a publisher sees it as null.',
      body: PublisherPostbackParamsSchema,
      response: PublisherSchema,
    },
    async ({ params, body, auth }) => {
      const before = await store.publishers.get(scopedPublisherId(auth, params.id)!);
      if (!before) throw ApiError.notFound('publisher');
      // The same outbound rule as PATCH /v1/publishers/:id: no localhost or private addresses unless allowed.
      if (body.postbackUrl && !config.allowPrivateDestinations) {
        const kind = refusedHost(new URL(body.postbackUrl.replace(/\{[^{}]*\}/g, 'x')).hostname);
        if (kind) throw ApiError.field('postbackUrl', `must not point at a ${kind} address (WAYPOST_ALLOW_PRIVATE_DESTINATIONS=true allows it)`);
      }
      const publisher = { ...before, postbackUrl: body.postbackUrl, updatedAt: clock.now().toISOString() };
      await store.transaction(async (tx) => {
        await tx.publishers.update(publisher);
        await recordAudit(tx, auth, { recordType: 'publisher', recordId: publisher.id, action: 'update', before, after: publisher, at: clock.now() });
      });
      return auth.role === 'admin' ? publisher : { ...publisher, postbackSecret: null };
    },
  );
}
