import type { CreateApiKeyParams, CreatedApiKey } from '@waypost/schema';
import type { AppContext } from './context.js';
import { recordAudit } from './engine/audit.js';
import { ADMIN_KEY_PREFIX, type Auth, hashApiKey, PUBLISHER_KEY_PREFIX } from './http/auth.js';
import { newId, newSecret } from './ids.js';

/**
 * Creates a key and returns it with its secret, the only time the secret exists outside the caller. With `auth` (a
 * request through `/v1`), the creation is recorded in the audit log with it.
 */
export async function createApiKey(
  { store, clock }: Pick<AppContext, 'store' | 'clock'>,
  params: CreateApiKeyParams,
  auth?: Auth,
): Promise<CreatedApiKey> {
  const key = `${params.role === 'admin' ? ADMIN_KEY_PREFIX : PUBLISHER_KEY_PREFIX}${newSecret()}`;
  const record = {
    id: newId('key_', clock.now()),
    name: params.name ?? null,
    role: params.role,
    publisherId: params.publisherId ?? null,
    workspaceId: params.workspaceId ?? null,
    prefix: key.slice(0, 12),
    createdAt: clock.now().toISOString(),
    revokedAt: null,
  };
  await store.transaction(async (tx) => {
    await tx.apiKeys.insert({ ...record, hash: hashApiKey(key) });
    if (auth) await recordAudit(tx, auth, { recordType: 'api_key', recordId: record.id, action: 'create', after: record, at: clock.now() });
  });
  return { ...record, key };
}
