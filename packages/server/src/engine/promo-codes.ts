import type { CreatePromoCodeRequestParamsSchema, DecidePromoCodeRequestParamsSchema, PromoCode, PromoCodeRequest } from '@waypost/schema';
import type { z } from 'zod';
import type { AppContext } from '../context.js';
import { ApiError } from '../http/errors.js';
import { newId, newSecret } from '../ids.js';
import { type Repositories, UniqueViolationError } from '../storage/index.js';

/** How long a decided request stays in the default list (README, Promo codes). */
export const DECIDED_REQUESTS_LISTED_DAYS = 14;

/** The oldest decision the default list still shows. */
export function decidedRequestsSince(now: Date): Date {
  return new Date(now.getTime() - DECIDED_REQUESTS_LISTED_DAYS * 24 * 60 * 60 * 1000);
}

/**
 * Issues a code to a publisher on an offer. Codes are unique per offer whatever their case: a clash is a 409 naming
 * `code`, found by a read first and by the unique index when two issues race.
 */
export async function issuePromoCode(
  tx: Pick<Repositories, 'promoCodes'>,
  code: { code: string; offerId: string; publisherId: string; requestId: string | null; at: Date },
): Promise<PromoCode> {
  const taken = () => ApiError.conflict(`the code "${code.code}" is already taken on this offer`, 'code');
  if (await tx.promoCodes.find(code.offerId, code.code)) throw taken();
  const issued: PromoCode = { id: newId('pc_', code.at), code: code.code, offerId: code.offerId, publisherId: code.publisherId, createdAt: code.at.toISOString() };
  try {
    await tx.promoCodes.insert({ ...issued, requestId: code.requestId });
  } catch (error) {
    if (error instanceof UniqueViolationError) throw taken();
    throw error;
  }
  return issued;
}

/** A new request in `moderation`; the offer and publisher were checked by the caller. */
export async function createPromoCodeRequest(
  { store, clock }: AppContext,
  params: z.output<typeof CreatePromoCodeRequestParamsSchema>,
  inTransaction?: (tx: Repositories, request: PromoCodeRequest) => Promise<void>,
): Promise<PromoCodeRequest> {
  const now = clock.now();
  const request: PromoCodeRequest = {
    id: newId('pcr_', now),
    offerId: params.offerId,
    publisherId: params.publisherId,
    platform: params.platform,
    status: 'moderation',
    code: null,
    reason: null,
    decidedAt: null,
    createdAt: now.toISOString(),
  };
  try {
    await store.transaction(async (tx) => {
      await tx.promoCodeRequests.insert(request);
      if (inTransaction) await inTransaction(tx, request);
    });
  } catch (error) {
    if (error instanceof UniqueViolationError) {
      throw new ApiError(409, 'request_pending', `this publisher already has a request for this offer on "${params.platform}" in moderation`, [
        { path: 'platform', code: 'request_pending', message: 'a request for this offer and platform is already in moderation' },
      ]);
    }
    throw error;
  }
  return request;
}

/**
 * Confirms a request with the given code or a generated one, or rejects it with a reason. The decision and the code
 * commit together; a request already decided (or decided meanwhile) is a 409.
 */
export async function decidePromoCodeRequest(
  { store, clock }: AppContext,
  id: string,
  params: z.output<typeof DecidePromoCodeRequestParamsSchema>,
  inTransaction?: (tx: Repositories, before: PromoCodeRequest, after: PromoCodeRequest) => Promise<void>,
): Promise<PromoCodeRequest> {
  const now = clock.now();
  return store.transaction(async (tx) => {
    const request = await tx.promoCodeRequests.get(id);
    if (!request) throw ApiError.notFound('promo code request');
    const alreadyDecided = () => new ApiError(409, 'already_decided', `this request was already ${request.status}`);
    if (request.status !== 'moderation') throw alreadyDecided();
    const status = params.decision === 'confirm' ? 'confirmed' : 'rejected';
    // 40 random bits in upper-case Crockford base32: unambiguous to read out and unlikely to clash.
    const code = params.decision === 'confirm' ? (params.code ?? newSecret(8).toUpperCase()) : null;
    // The conditional update goes first: of two concurrent decisions only one finds the request in moderation.
    if (!(await tx.promoCodeRequests.decide(id, { status, code, reason: params.reason ?? null, at: now }))) throw alreadyDecided();
    if (code !== null) await issuePromoCode(tx, { code, offerId: request.offerId, publisherId: request.publisherId, requestId: id, at: now });
    const decided: PromoCodeRequest = { ...request, status, code, reason: params.reason ?? null, decidedAt: now.toISOString() };
    if (inTransaction) await inTransaction(tx, request, decided);
    return decided;
  });
}
