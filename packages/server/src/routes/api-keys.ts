import { ApiKeySchema, CreateApiKeyParamsSchema, CreatedApiKeySchema, ListQuerySchema, listOf } from '@waypost/schema';
import type { AppContext } from '../context.js';
import type { Api } from '../http/api.js';
import { recordAudit } from '../engine/audit.js';
import { ApiError } from '../http/errors.js';
import { createApiKey } from '../keys.js';

export function apiKeyRoutes(api: Api, context: AppContext): void {
  const { store, clock } = context;
  const tag = 'API keys';

  api.route(
    { method: 'get', path: '/v1/api-keys', tag, access: 'admin', summary: 'List API keys (never their secrets)', query: ListQuerySchema, response: listOf(ApiKeySchema) },
    async ({ query }) => store.apiKeys.list(query),
  );

  api.route(
    { method: 'post', path: '/v1/api-keys', tag, access: 'admin', summary: 'Create an API key; the key is shown once', body: CreateApiKeyParamsSchema, response: CreatedApiKeySchema, status: 201 },
    async ({ body, auth }) => {
      if (body.publisherId && !(await store.publishers.get(body.publisherId))) {
        throw ApiError.field('publisherId', `no publisher "${body.publisherId}"`);
      }
      if (body.workspaceId && !(await store.workspaces.get(body.workspaceId))) {
        throw ApiError.field('workspaceId', `no workspace "${body.workspaceId}"`);
      }
      return createApiKey(context, body, auth);
    },
  );

  api.route(
    { method: 'delete', path: '/v1/api-keys/:id', tag, access: 'admin', summary: 'Revoke an API key' },
    async ({ params, auth }) => {
      await store.transaction(async (tx) => {
        if (!(await tx.apiKeys.revoke(params.id!, clock.now()))) throw ApiError.notFound('API key');
        await recordAudit(tx, auth, { recordType: 'api_key', recordId: params.id!, action: 'revoke', at: clock.now() });
      });
      return undefined;
    },
  );
}
