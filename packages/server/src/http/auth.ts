import { createHash } from 'node:crypto';
import type { ApiKey } from '@waypost/schema';
import type { RequestHandler } from 'express';
import type { Store } from '../storage/index.js';
import { ApiError } from './errors.js';

export type Auth = { role: 'admin'; keyId: string } | { role: 'publisher'; keyId: string; publisherId: string };

export const ADMIN_KEY_PREFIX = 'wp_sk_';
export const PUBLISHER_KEY_PREFIX = 'wp_pk_';

/** Keys are random 160-bit secrets, so one SHA-256 is enough: there is nothing to brute-force. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function authFromKey(key: ApiKey): Auth {
  return key.role === 'admin' ? { role: 'admin', keyId: key.id } : { role: 'publisher', keyId: key.id, publisherId: key.publisherId! };
}

/** Resolves `Authorization: Bearer KEY` into `res.locals.auth`; 401 when the key is missing or unknown. */
export function authenticate(store: Store): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) {
      throw new ApiError(401, 'unauthorized', 'send an API key as "Authorization: Bearer wp_sk_…"', undefined, {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const key = match?.[1];
    const found =
      key && (key.startsWith(ADMIN_KEY_PREFIX) || key.startsWith(PUBLISHER_KEY_PREFIX)) && key.length < 200
        ? await store.apiKeys.findByHash(hashApiKey(key))
        : undefined;
    if (!found) {
      throw new ApiError(401, 'unauthorized', 'the API key is not valid or has been revoked', undefined, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    res.locals.auth = authFromKey(found);
    next();
  };
}
