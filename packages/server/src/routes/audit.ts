import { AuditEntrySchema, ListAuditQuerySchema, ListQuerySchema, listOf } from '@waypost/schema';
import type { AppContext } from '../context.js';
import { auditToWire } from '../engine/audit.js';
import type { Api } from '../http/api.js';

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

export function auditRoutes(api: Api, { store }: AppContext): void {
  api.route(
    {
      method: 'get',
      path: '/v1/audit',
      tag: 'Audit log',
      access: 'admin',
      summary: 'The audit log: who changed which record through /v1, when, and what changed',
      description: 'Newest first. Secrets (tokens, webhook secrets, key and password hashes) appear as "[redacted]".',
      query: ListQuerySchema.extend(ListAuditQuerySchema.shape),
      response: listOf(AuditEntrySchema),
    },
    async ({ query }) => {
      const { limit, cursor, from, to, ...filter } = query;
      const page = await store.audit.list({ ...filter, from: date(from), to: date(to) }, { limit, cursor });
      return { data: page.data.map(auditToWire), nextCursor: page.nextCursor };
    },
  );
}
