import { IdSchema } from '@waypost/schema';
import express, { type Request, type Response, type Router } from 'express';
import type { AppContext } from '../context.js';
import { ConversionError, recordConversion } from '../engine/conversions.js';
import { clickOfReport, WEBHOOK_FORMATS } from '../engine/webhooks/index.js';
import { ApiError, toApiError } from '../http/errors.js';
import { withoutNul } from '../http/nul.js';
import type { PostbackLogRecord } from '../storage/store.js';
import { postbackLogEntry } from './postback-log.js';

/** Notifications are one transaction each; ClickBank's, the largest, stay well under this with their line items. */
const BODY_LIMIT = '64kb';

type Logged = Pick<PostbackLogRecord, 'httpStatus' | 'outcome'> & Partial<Pick<PostbackLogRecord, 'reason' | 'offerId' | 'clickId' | 'conversionId'>>;

/**
 * `POST /postback/:networkId` (README, Affiliate networks: webhook networks): a notification that the network's format
 * decrypts or verifies with the network's secret, read into at most one conversion report. Mounted before the app's
 * JSON parser: signatures and ciphertexts are over the body's bytes. Every request goes to the postback log, as a
 * postback does.
 */
export function webhookRoutes(router: Router, context: AppContext): void {
  const { store, clock } = context;
  const rawBody = express.raw({ type: () => true, limit: BODY_LIMIT });
  const readBody = (req: Request, res: Response) =>
    new Promise<Buffer>((resolve, reject) => rawBody(req, res, (error?: unknown) => (error ? reject(error) : resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)))));

  const logEntry = (req: Request, params: Record<string, unknown>, { outcome, ...rest }: Logged) =>
    postbackLogEntry(clock, req, 'postback', params, { ...rest, status: outcome });

  router.post('/postback/:networkId', async (req, res) => {
    const networkId = req.params.networkId!;
    let params: Record<string, unknown> = { network: networkId.slice(0, 64) };
    const answer = async (status: number, body: Record<string, unknown>, logged: Omit<Logged, 'httpStatus'>) => {
      await store.postbackLog.insert(logEntry(req, params, { httpStatus: status, ...logged }));
      res.status(status).json(body);
    };
    try {
      const network = IdSchema.safeParse(networkId).success ? await store.affiliateNetworks.get(networkId) : undefined;
      if (!network) throw new ApiError(404, 'unknown_network', `no affiliate network "${networkId.slice(0, 64)}"`);
      if (!network.format) {
        throw new ApiError(422, 'not_a_webhook_network', `network ${network.id} has no webhook format: its postbacks go to /postback with the offer's token`);
      }
      params = { ...params, format: network.format };
      const body = await readBody(req, res);
      if (network.secret === undefined) {
        throw new ApiError(401, 'secret_not_set', `network ${network.id} has no secret to check its notifications with; set one with PATCH /v1/affiliate-networks/${network.id}`);
      }
      // What a notification carries is tracking text like a postback's: NUL is stripped, as PostgreSQL cannot store it.
      const { reading, summary } = withoutNul(WEBHOOK_FORMATS[network.format].read({ body, header: (name) => req.get(name), query: req.query as Record<string, unknown> }, network.secret));
      params = { ...params, ...summary };

      if (reading.kind === 'test') return await answer(200, { status: 'test' }, { outcome: 'test' });
      if (reading.kind === 'ignored') return await answer(200, { status: 'ignored', reason: reading.reason }, { outcome: 'ignored', reason: reading.reason });
      const { report } = reading;
      const clickId = await clickOfReport(context, network, report);
      // A sale Waypost did not send (no click of its own in the notification) is the network's business, not an error
      // to retry.
      if (clickId === undefined) return await answer(200, { status: 'ignored', reason: 'no_click_id' }, { outcome: 'ignored', reason: 'no_click_id' });
      const outcome = await recordConversion(
        context,
        {
          source: 'postback',
          clickId,
          transactionId: report.transactionId,
          status: report.status,
          amount: report.amount,
          currency: report.currency,
          payout: report.payout,
          event: report.event,
          verifiedNetworkId: network.id,
          ip: req.ip,
        },
        {
          log: (recorded) =>
            logEntry(req, params, {
              httpStatus: recorded.httpStatus,
              outcome: recorded.result.status,
              reason: recorded.result.reason ?? null,
              offerId: recorded.offerId ?? null,
              clickId: recorded.clickId ?? null,
              conversionId: recorded.result.conversionId ?? null,
            }),
        },
      );
      res.status(outcome.httpStatus).json(outcome.result);
    } catch (error) {
      const apiError = toApiError(error);
      if (!apiError) throw error;
      for (const [name, value] of Object.entries(apiError.headers ?? {})) res.setHeader(name, value);
      context.metrics?.rejection('postback', apiError.code);
      const body = { status: 'rejected', reason: apiError.code, ...apiError.toBody() };
      // The log entry would wait for the same write lock; the network is told to retry instead.
      if (apiError.code === 'database_busy') return res.status(apiError.status).json(body);
      const known = error instanceof ConversionError ? error : undefined;
      await answer(apiError.status, body, { outcome: 'error', reason: apiError.code, offerId: known?.offerId ?? null, clickId: known?.clickId ?? null });
    }
  });
}
