import type { Request } from 'express';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import type { PostbackLogRecord } from '../storage/store.js';
import { redactParams, truncateIp } from '../tracking/index.js';

/** How a report ended, as the postback log keeps it. */
export interface LogOutcome {
  httpStatus: number;
  status: string;
  reason?: string | null | undefined;
  offerId?: string | null | undefined;
  clickId?: string | null | undefined;
  conversionId?: string | null | undefined;
}

/** A postback-log entry for one request to a conversion endpoint (postback, webhook, pixel, browser). */
export function postbackLogEntry(clock: Clock, req: Request, channel: PostbackLogRecord['channel'], params: Record<string, unknown>, outcome: LogOutcome): PostbackLogRecord {
  return {
    id: newId('pbl_', clock.now()),
    channel,
    method: req.method,
    params: redactParams(params),
    // A visitor's address is cut as a click's is (README, Security); a postback comes from a network's server, whose
    // full address is what an operator checks against the offer's IP allowlist.
    ip: channel === 'postback' ? (req.ip ?? null) : truncateIp(req.ip),
    httpStatus: outcome.httpStatus,
    outcome: outcome.status,
    reason: outcome.reason ?? null,
    offerId: outcome.offerId ?? null,
    clickId: outcome.clickId ?? null,
    conversionId: outcome.conversionId ?? null,
    createdAt: clock.now(),
  };
}
