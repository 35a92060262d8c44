import type { CreateApiKeyParams, CreatedApiKey } from '@waypost/schema';
import type { AppContext } from './context.js';
import { ADMIN_KEY_PREFIX, hashApiKey, PUBLISHER_KEY_PREFIX } from './http/auth.js';
import { newId, newSecret } from './ids.js';

/** Creates a key and returns it with its secret, the only time the secret exists outside the caller. */
export async function createApiKey(
  { store, clock }: Pick<AppContext, 'store' | 'clock'>,
  params: CreateApiKeyParams,
): Promise<CreatedApiKey> {
  const key = `${params.role === 'admin' ? ADMIN_KEY_PREFIX : PUBLISHER_KEY_PREFIX}${newSecret()}`;
  const record = {
    id: newId('key_', clock.now()),
    name: params.name ?? null,
    role: params.role,
    publisherId: params.publisherId ?? null,
    prefix: key.slice(0, 12),
    createdAt: clock.now().toISOString(),
    revokedAt: null,
  };
  await store.apiKeys.insert({ ...record, hash: hashApiKey(key) });
  return { ...record, key };
}
