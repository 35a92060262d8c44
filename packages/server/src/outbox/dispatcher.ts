import type { DeliveryKind } from '@waypost/schema';
import { createTransport } from 'nodemailer';
import { VERSION } from '../app.js';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';
import { postbackSignature, type RetryPolicy, retryDelay } from '../domain/index.js';
import { newSecret } from '../ids.js';
import type { DeliveryMessage, DeliveryRecord } from '../storage/store.js';
import { deliveryError } from './delivery-error.js';
import { isOutboundError, outboundGet, type Resolver } from './outbound.js';

/** How the dispatcher sends; every field comes from the configuration (`WAYPOST_DELIVERY_*`, `WAYPOST_SMTP_*`). */
export interface OutboxOptions extends RetryPolicy {
  /** Time limit of one try. */
  timeoutMs: number;
  /** How often the outbox is polled for due deliveries (retries, and deliveries another process enqueued). */
  pollMs: number;
  /** E-mails are sent only by a dispatcher that has an SMTP server; without one they stay pending. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** Deliveries claimed and sent together. @default 20 */
  batchSize: number;
  /** Postbacks may reach loopback and private addresses (`WAYPOST_ALLOW_PRIVATE_DESTINATIONS`). */
  allowPrivateDestinations: boolean;
  /** How postback hosts are resolved; tests inject one. @default the system resolver */
  resolve?: Resolver;
}

export function outboxOptions(config: Config): OutboxOptions {
  return {
    maxAttempts: config.deliveryAttempts,
    backoffMs: config.deliveryBackoffMs,
    backoffMaxMs: config.deliveryBackoffMaxMs,
    timeoutMs: config.deliveryTimeoutMs,
    pollMs: config.deliveryPollMs,
    smtpUrl: config.smtpUrl,
    smtpFrom: config.smtpFrom ?? `Waypost <waypost@${new URL(config.publicUrl).hostname}>`,
    batchSize: 20,
    allowPrivateDestinations: config.allowPrivateDestinations,
  };
}

/**
 * The SMTP transport of every e-mail the server sends: conversion e-mails here, account e-mails (invites, password
 * resets) in accounts/mail.ts. One place for the server, sender and time limits.
 */
export function mailTransport({ smtpUrl, smtpFrom, timeoutMs }: Pick<OutboxOptions, 'smtpUrl' | 'smtpFrom' | 'timeoutMs'>): ReturnType<typeof createTransport> {
  return createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs }, { from: smtpFrom });
}

/** What one pass over the due deliveries did. */
export interface DispatchResult {
  delivered: number;
  retried: number;
  failed: number;
}

interface TryResult {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
}

// A claim outlives the longest try by this much, so that a slow try is never taken over while it runs.
const LEASE_MARGIN_MS = 5_000;
// Passes per tick are bounded so that a flood of instant failures with a tiny backoff cannot spin forever.
const MAX_BATCHES_PER_TICK = 50;

/**
 * Sends what the outbox holds: publisher postbacks (signed GET requests) and conversion e-mails (SMTP). It polls
 * for due deliveries and is woken at once when a transaction enqueues some. Each delivery is claimed with a lease
 * before it is sent, so two dispatchers (two server processes sharing PostgreSQL) never send one at the same time;
 * a failed try is retried with exponential backoff and jitter until `maxAttempts`. Deliveries live in the database,
 * so a crash loses none: the next start sends them (delivery is at least once; receivers dedupe by delivery id).
 */
export class OutboxDispatcher {
  readonly #context: AppContext;
  readonly #options: OutboxOptions;
  readonly #log: (...args: unknown[]) => void;
  readonly #shutdown = new AbortController();
  #running: Promise<unknown> = Promise.resolve();
  #queued: Promise<DispatchResult> | null = null;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #transport: ReturnType<typeof createTransport> | undefined;
  #stopped = false;
  #warnedNoSmtp = false;

  constructor(context: AppContext, options: Partial<OutboxOptions> = {}, log: (...args: unknown[]) => void = console.error) {
    this.#context = context;
    this.#options = { ...outboxOptions(context.config), ...options };
    this.#log = log;
  }

  /** Starts polling and listening for new deliveries, and sends what is already due (the backlog of a restart). */
  start(): this {
    this.#unsubscribe = this.#context.store.onOutboxEnqueued(() => this.nudge());
    this.#timer = setInterval(() => this.nudge(), this.#options.pollMs);
    this.#timer.unref();
    this.nudge();
    return this;
  }

  /** Asks for a pass soon; errors go to the log. */
  nudge(): void {
    if (this.#stopped) return;
    this.tick().catch((error: unknown) => this.#log('outbox: dispatch failed:', error));
  }

  /**
   * One pass over every due delivery, after any pass already running. Calls made while a pass waits to start share
   * it. Tests call this after moving their clock.
   */
  tick(): Promise<DispatchResult> {
    if (this.#stopped) return Promise.resolve({ delivered: 0, retried: 0, failed: 0 });
    if (this.#queued) return this.#queued;
    const queued = this.#running.then(() => {
      this.#queued = null;
      return this.#dispatch();
    });
    this.#queued = queued;
    this.#running = queued.catch(() => undefined);
    return queued;
  }

  /**
   * Stops polling and starts no new batch, and waits for the pass. Tries in flight get `graceMs` to finish (a
   * graceful shutdown lets the current batch be sent and recorded); after it they are abandoned, their claims given
   * back and not counted, to be sent by the next start.
   */
  async stop({ graceMs = 0 }: { graceMs?: number } = {}): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unsubscribe?.();
    const abandon = graceMs > 0 ? setTimeout(() => this.#shutdown.abort(), graceMs) : undefined;
    if (!abandon) this.#shutdown.abort();
    await this.#running;
    clearTimeout(abandon);
    this.#transport?.close();
  }

  async #dispatch(): Promise<DispatchResult> {
    const { store, clock } = this.#context;
    const { batchSize, timeoutMs, smtpUrl } = this.#options;
    const result: DispatchResult = { delivered: 0, retried: 0, failed: 0 };
    const kinds: DeliveryKind[] = smtpUrl ? ['postback', 'email'] : ['postback'];
    if (!smtpUrl) await this.#warnIfEmailsWait();
    for (let batch = 0; batch < MAX_BATCHES_PER_TICK && !this.#stopped; batch++) {
      const now = clock.now();
      const token = newSecret();
      const leaseUntil = new Date(now.getTime() + timeoutMs + LEASE_MARGIN_MS);
      const claimed = await store.transaction((tx) => tx.outbox.claimDue({ now, leaseUntil, token, limit: batchSize, kinds }));
      const outcomes = await Promise.all(claimed.map((delivery) => this.#attempt(delivery, token)));
      for (const outcome of outcomes) if (outcome) result[outcome] += 1;
      if (claimed.length < batchSize) break;
    }
    return result;
  }

  async #attempt(delivery: DeliveryRecord, token: string): Promise<keyof DispatchResult | undefined> {
    const { store, clock } = this.#context;
    let tried: TryResult;
    try {
      tried = await this.#send(delivery, delivery.message);
    } catch (error) {
      if (this.#shutdown.signal.aborted) {
        await store.outbox.release(delivery.id, token);
        return undefined;
      }
      tried = { ok: false, responseStatus: null, error: failure(delivery.message, error) };
    }
    const at = clock.now();
    const attempts = delivery.attempts + 1;
    const wait = tried.ok ? null : retryDelay(attempts, this.#options, Math.random());
    const outcome = tried.ok ? 'delivered' : wait === null ? 'failed' : 'retry';
    const recorded = await store.outbox.recordAttempt(delivery.id, token, {
      at,
      outcome,
      nextAttemptAt: wait === null ? null : new Date(at.getTime() + wait),
      responseStatus: tried.responseStatus,
      error: tried.error,
    });
    this.#context.metrics?.delivery(delivery.message.kind, outcome);
    if (!recorded) this.#log(`outbox: delivery ${delivery.id} was claimed by another sender while this one tried it`);
    if (outcome === 'failed') this.#log(`outbox: ${delivery.message.kind} ${delivery.id} failed for good after ${attempts} tries: ${tried.error}`);
    return outcome === 'delivered' ? 'delivered' : outcome === 'retry' ? 'retried' : 'failed';
  }

  #send(delivery: DeliveryRecord, message: DeliveryMessage): Promise<TryResult> {
    return message.kind === 'postback' ? this.#sendPostback(delivery, message) : this.#sendEmail(delivery, message);
  }

  /** The secret of whoever the postback is for: the traffic source named in the message, else the publisher. */
  async #postbackSecret(delivery: DeliveryRecord, message: Extract<DeliveryMessage, { kind: 'postback' }>): Promise<string | null> {
    const { store } = this.#context;
    if (message.trafficSourceId) return (await store.trafficSources.get(message.trafficSourceId))?.postbackSecret ?? null;
    return delivery.publisherId ? ((await store.publishers.get(delivery.publisherId))?.postbackSecret ?? null) : null;
  }

  /**
   * A GET to the publisher's or traffic source's URL, signed with its current secret; any 2xx answer is a delivery,
   * and a redirect is not an answer from the tracker: it is retried like any other non-2xx answer.
   */
  async #sendPostback(delivery: DeliveryRecord, message: Extract<DeliveryMessage, { kind: 'postback' }>): Promise<TryResult> {
    const { url } = message;
    const secret = await this.#postbackSecret(delivery, message);
    const headers: Record<string, string> = { 'user-agent': `Waypost/${VERSION}`, 'x-waypost-delivery': delivery.id };
    if (secret) headers['x-waypost-signature'] = postbackSignature(url, secret, this.#context.clock.now());
    const reply = await outboundGet(url, {
      headers,
      allowPrivate: this.#options.allowPrivateDestinations,
      resolve: this.#options.resolve,
      signal: AbortSignal.any([this.#shutdown.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
    });
    if (reply.status >= 200 && reply.status < 300) return { ok: true, responseStatus: reply.status, error: null };
    // The body stays out of the reason: publisher keys see the reason, admin keys also a sanitised excerpt.
    return { ok: false, responseStatus: reply.status, error: deliveryError(`HTTP ${reply.status}`, reply.body.subarray(0, 2048).toString('utf8')) };
  }

  /** The rendered e-mail through SMTP. Its Message-ID is the delivery id, so a retried e-mail is recognisably the same. */
  async #sendEmail(delivery: DeliveryRecord, message: Extract<DeliveryMessage, { kind: 'email' }>): Promise<TryResult> {
    const { timeoutMs } = this.#options;
    this.#transport ??= mailTransport(this.#options);
    const sent = this.#transport.sendMail({
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: `<${delivery.id}@waypost>`,
      headers: { 'X-Waypost-Delivery': delivery.id },
    });
    await abortable(sent, AbortSignal.any([this.#shutdown.signal, AbortSignal.timeout(timeoutMs)]));
    return { ok: true, responseStatus: null, error: null };
  }

  async #warnIfEmailsWait(): Promise<void> {
    if (this.#warnedNoSmtp) return;
    const waiting = await this.#context.store.outbox.list({ kind: 'email', status: 'pending' }, { limit: 1 });
    if (waiting.data.length === 0) return;
    this.#warnedNoSmtp = true;
    this.#log('outbox: conversion e-mails are waiting in the outbox; set WAYPOST_SMTP_URL to send them (GET /v1/deliveries?kind=email lists them)');
  }
}

/** Settles with `promise`, or rejects when `signal` aborts first (the promise is left to finish on its own). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Why a try failed, for the delivery log; a postback's reason is shown to its publisher, so it holds no reply text. */
function failure(message: DeliveryMessage, error: unknown): string {
  if (isOutboundError(error)) return deliveryError(error.reason, error.detail);
  return message.kind === 'postback' ? deliveryError('internal error', describe(error)) : describe(error);
}

/** A short, readable reason for the delivery log, with the cause that a wrapped error hides. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return (cause ? `${error.message}: ${cause}` : error.message).slice(0, 500);
}
