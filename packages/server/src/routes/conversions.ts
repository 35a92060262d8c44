import { createHash } from 'node:crypto';
import {
  ClickSchema,
  ConversionCreatedSchema,
  ConversionSchema,
  CreateConversionParamsSchema,
  CreateTransactionParamsSchema,
  FxRatesSchema,
  ListClicksQuerySchema,
  ListConversionsQuerySchema,
  ListPostbacksQuerySchema,
  ListQuerySchema,
  listOf,
  PostbackLogEntrySchema,
  PutFxRatesParamsSchema,
  UpdateConversionParamsSchema,
  WorkspaceQuerySchema,
} from '@waypost/schema';
import type { AppContext } from '../context.js';
import { changeStatus, type ConversionOutcome, recordConversion } from '../engine/conversions.js';
import { recordAudit } from '../engine/audit.js';
import { storeFxRates } from '../engine/fx-rates.js';
import { assertOfferReach, listScope } from '../engine/workspaces.js';
import { clickToWire, conversionToWire, postbackLogToWire } from '../engine/wire.js';
import { transition } from '../domain/index.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import type { ConversionRecord } from '../storage/index.js';
import { toCsv } from '../tracking/index.js';
import { canSee, scopedPublisherId } from './scope.js';

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

const CSV_COLUMNS = [
  'id', 'createdAt', 'offerId', 'publisherId', 'clickId', 'couponCode', 'transactionId', 'event', 'status', 'reason', 'kind',
  'source', 'amount', 'currency', 'payout', 'revenue', 'offerCurrency', 'fxRate', 'awaitingFxRate', 'payoutState', 'country',
  'sub1', 'sub2', 'sub3', 'sub4', 'sub5',
].map((key) => ({ key, header: key }));

export function conversionRoutes(api: Api, context: AppContext): void {
  const { store, clock } = context;

  const findConversion = async (id: string, auth: Auth) => {
    const conversion = await store.conversions.get(id);
    if (!conversion || !canSee(auth, conversion.publisherId)) throw ApiError.notFound('conversion');
    await assertOfferReach(store, auth, conversion.offerId, 'conversion');
    return conversion;
  };
  // Revenue and the merchant's notes are the merchant's business, as in reports and offers.
  const view = (auth: Auth) => (conversion: ConversionRecord) => {
    const wire = conversionToWire(conversion);
    return auth.role === 'admin' ? wire : { ...wire, revenue: null, note: null };
  };
  const created = (outcome: ConversionOutcome) => ({
    ...outcome.result,
    ...(outcome.conversion ? { conversion: conversionToWire(outcome.conversion) } : {}),
  });

  api.route(
    {
      method: 'post',
      path: '/v1/conversions',
      tag: 'Conversions',
      access: 'admin',
      summary: 'Report a conversion from checkout code',
      description: 'Follows the postback rules. Send an Idempotency-Key header to make retries safe: the same key with the same body returns the first answer; with another body, 409.',
      body: CreateConversionParamsSchema,
      response: ConversionCreatedSchema,
      status: 201,
    },
    async ({ body, req, res, auth }) => {
      const key = req.get('idempotency-key');
      const run = async () => {
        const outcome = await recordConversion(context, { source: 'api', ...body });
        return { status: outcome.result.status === 'accepted' || outcome.result.status === 'rebill' ? 201 : 200, body: created(outcome) };
      };
      if (!key) {
        const { status, body: reply } = await run();
        return void res.status(status).json(reply);
      }
      if (key.length > 255) throw ApiError.field('Idempotency-Key', 'must be at most 255 characters');
      const scopeKey = `${auth.keyId}:${key}`;
      const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
      const claim = await store.idempotency.claim(scopeKey, hash, clock.now());
      if (!claim.claimed) {
        if (claim.requestHash !== hash) throw ApiError.conflict('this Idempotency-Key was used with a different request body', 'Idempotency-Key');
        if (claim.status === null || claim.body === null) throw ApiError.conflict('a request with this Idempotency-Key is still in progress; retry shortly');
        res.setHeader('Idempotent-Replayed', 'true');
        return void res.status(claim.status).json(JSON.parse(claim.body));
      }
      try {
        const { status, body: reply } = await run();
        await store.idempotency.complete(scopeKey, status, JSON.stringify(reply));
        res.status(status).json(reply);
      } catch (error) {
        // A refused request may be corrected and sent again with the same key.
        await store.idempotency.release(scopeKey);
        throw error;
      }
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/conversions',
      tag: 'Conversions',
      access: 'key',
      summary: 'List conversions (format=csv exports them)',
      query: ListQuerySchema.extend(ListConversionsQuerySchema.shape).extend(WorkspaceQuerySchema.shape),
      response: listOf(ConversionSchema),
      produces: ['text/csv'],
    },
    async ({ query, auth, req, res }) => {
      const { limit, cursor, order, format, from, to, workspaceId, ...filter } = query;
      const publisherId = scopedPublisherId(auth, filter.publisherId);
      const scoped = { ...filter, publisherId, from: date(from), to: date(to), workspaces: await listScope(store, auth, workspaceId) };
      const csv = format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
      if (!csv) {
        const page = await store.conversions.list(scoped, { limit, cursor }, order);
        return { data: page.data.map(view(auth)), nextCursor: page.nextCursor };
      }
      // An export follows every page of the same filter.
      const rows: ReturnType<ReturnType<typeof view>>[] = [];
      let next: string | undefined = cursor;
      do {
        const page = await store.conversions.list(scoped, { limit: 500, cursor: next }, order);
        rows.push(...page.data.map(view(auth)));
        next = page.nextCursor ?? undefined;
      } while (next && rows.length < 1_000_000);
      res.type('text/csv').setHeader('Content-Disposition', 'attachment; filename="conversions.csv"');
      res.send(toCsv(CSV_COLUMNS, rows));
      return undefined;
    },
  );

  api.route(
    { method: 'get', path: '/v1/conversions/:id', tag: 'Conversions', access: 'key', summary: 'Retrieve a conversion', response: ConversionSchema },
    async ({ params, auth }) => view(auth)(await findConversion(params.id!, auth)),
  );

  api.route(
    { method: 'patch', path: '/v1/conversions/:id', tag: 'Conversions', access: 'workspace', summary: 'Approve, reject (refund) or hold a conversion', body: UpdateConversionParamsSchema, response: ConversionSchema },
    async ({ params, body, auth }) => {
      const existing = await findConversion(params.id!, auth);
      const outcome = transition(existing.status, body.status);
      if (outcome === 'conflict') throw new ApiError(409, 'invalid_transition', `a ${existing.status} conversion cannot become ${body.status}`);
      if (outcome === 'duplicate') return conversionToWire(existing);
      const offer = await store.offers.get(existing.offerId);
      if (!offer) throw ApiError.notFound('offer');
      const updated = await store.transaction(async (tx) => {
        const current = await tx.conversions.get(existing.id);
        if (!current || transition(current.status, body.status) !== 'updated') throw new ApiError(409, 'invalid_transition', 'the conversion changed meanwhile; read it again');
        const changed = await changeStatus(context, tx, offer, current, body.status, body.reason ?? null);
        await recordAudit(tx, auth, {
          recordType: 'conversion',
          recordId: changed.id,
          action: 'status_change',
          before: conversionToWire(current),
          after: conversionToWire(changed),
          at: clock.now(),
        });
        return changed;
      });
      return conversionToWire(updated);
    },
  );

  api.route(
    { method: 'post', path: '/v1/transactions', tag: 'Conversions', access: 'workspace', summary: 'Book a manual transaction (no click)', body: CreateTransactionParamsSchema, response: ConversionSchema, status: 201 },
    async ({ body, res, auth }) => {
      // An offer outside the caller's workspaces is answered as one that does not exist.
      await assertOfferReach(store, auth, body.offerId, 'offer').catch(() => {
        throw new ApiError(404, 'unknown_offer', `offerId: no offer "${body.offerId}"`, [{ path: 'offerId', code: 'unknown_offer', message: `no offer "${body.offerId}"` }]);
      });
      const outcome = await recordConversion(
        context,
        { source: 'manual', ...body },
        {
          inTransaction: async (tx, { conversion }) => {
            if (conversion) await recordAudit(tx, auth, { recordType: 'conversion', recordId: conversion.id, action: 'create', after: conversionToWire(conversion), at: clock.now() });
          },
        },
      );
      if (outcome.result.status === 'duplicate' && outcome.result.conversionId) {
        const existing = await store.conversions.get(outcome.result.conversionId);
        if (existing) return void res.status(200).json(conversionToWire(existing));
      }
      if (!outcome.conversion) throw new ApiError(409, 'duplicate', 'this transaction was already booked');
      return conversionToWire(outcome.conversion);
    },
  );

  api.route(
    { method: 'get', path: '/v1/clicks', tag: 'Clicks', access: 'key', summary: 'List clicks', query: ListQuerySchema.extend(ListClicksQuerySchema.shape).extend(WorkspaceQuerySchema.shape), response: listOf(ClickSchema) },
    async ({ query, auth }) => {
      const { limit, cursor, from, to, workspaceId, ...filter } = query;
      const workspaces = await listScope(store, auth, workspaceId);
      const page = await store.clicks.list({ ...filter, publisherId: scopedPublisherId(auth, filter.publisherId), from: date(from), to: date(to), workspaces }, { limit, cursor });
      return { data: page.data.map(clickToWire), nextCursor: page.nextCursor };
    },
  );

  api.route(
    { method: 'get', path: '/v1/clicks/:id', tag: 'Clicks', access: 'key', summary: 'Retrieve a click', response: ClickSchema },
    async ({ params, auth }) => {
      const click = await store.clicks.get(params.id!);
      if (!click || !canSee(auth, click.publisherId)) throw ApiError.notFound('click');
      await assertOfferReach(store, auth, click.offerId, 'click');
      return clickToWire(click);
    },
  );

  api.route(
    { method: 'get', path: '/v1/fx-rates', tag: 'FX rates', access: 'admin', summary: 'List FX rates', response: FxRatesSchema },
    async () => ({
      base: context.config.currency,
      data: (await store.fxRates.all()).map((rate) => ({ currency: rate.currency, rate: rate.rate, updatedAt: rate.updatedAt.toISOString() })),
    }),
  );

  api.route(
    {
      method: 'put',
      path: '/v1/fx-rates',
      tag: 'FX rates',
      access: 'admin',
      summary: 'Merge FX rates into the table',
      description: 'Conversions that waited for one of these rates (awaitingFxRate) are priced before the answer.',
      body: PutFxRatesParamsSchema,
      response: FxRatesSchema,
    },
    async ({ body, auth }) => {
      const before = await store.fxRates.all();
      await storeFxRates(context, body.rates, async (tx) => {
        for (const [currency, rate] of Object.entries(body.rates)) {
          const old = before.find((entry) => entry.currency === currency)?.rate ?? null;
          if (old === rate) continue;
          await recordAudit(tx, auth, { recordType: 'fx_rate', recordId: currency, action: old === null ? 'create' : 'update', before: old === null ? null : { rate: old }, after: { rate }, at: clock.now() });
        }
      });
      return {
        base: context.config.currency,
        data: (await store.fxRates.all()).map((rate) => ({ currency: rate.currency, rate: rate.rate, updatedAt: rate.updatedAt.toISOString() })),
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/postbacks',
      tag: 'Postback log',
      access: 'workspace',
      summary: 'The postback log: every postback, pixel and browser conversion',
      description: 'A caller limited to some workspaces sees the entries of their offers, and none that named no known offer.',
      query: ListQuerySchema.extend(ListPostbacksQuerySchema.shape).extend(WorkspaceQuerySchema.shape),
      response: listOf(PostbackLogEntrySchema),
    },
    async ({ query, auth }) => {
      const { limit, cursor, from, to, workspaceId, ...filter } = query;
      const workspaces = await listScope(store, auth, workspaceId);
      const page = await store.postbackLog.list({ ...filter, from: date(from), to: date(to), workspaces }, { limit, cursor });
      return { data: page.data.map(postbackLogToWire), nextCursor: page.nextCursor };
    },
  );
}
