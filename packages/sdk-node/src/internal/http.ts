import { describeIssues, ErrorResponseSchema, IdSchema, listOf, toErrorIssues, type ErrorIssue } from '@waypost/schema';
import ky, { TimeoutError } from 'ky';
import type { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { errorForStatus, WaypostConnectionError, WaypostError, WaypostValidationError } from '../errors.js';
import { Page, PagePromise } from '../pagination.js';
import { VERSION } from '../version.js';

export interface HttpClientConfig {
  apiKey: string;
  baseUrl: string;
  timeout: number;
  maxRetries: number;
  fetch: typeof fetch | undefined;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request path whose ids are checked and escaped when the request is made; build it with `path`. */
export interface Path {
  readonly strings: readonly string[];
  readonly ids: readonly unknown[];
}

/** `` path`/v1/offers/${id}` ``: every interpolated value must be an id, and is URL-encoded. */
export function path(strings: TemplateStringsArray, ...ids: unknown[]): Path {
  return { strings: [...strings], ids };
}

/** Parses `input` with `schema`, or throws a `WaypostValidationError` that names each offending field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(toErrorIssues(result.error));
}

function validationError(issues: ErrorIssue[]): WaypostValidationError {
  return new WaypostValidationError({ code: 'validation_error', message: describeIssues(issues), issues });
}

/** The longest `Retry-After` the SDK waits for; a longer one ends the retries and the error carries `retryAfter`. */
export const MAX_RETRY_AFTER_MS = 60_000;
const INITIAL_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 8_000;

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (0 for the first): the server's `Retry-After` when it gave one,
 * else exponential backoff (0.5 s, 1 s, 2 s … up to 8 s) less up to 25 % jitter, so that clients that failed
 * together do not retry together. `undefined` means the server asked for a longer wait than the SDK will block.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, random = Math.random): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= MAX_RETRY_AFTER_MS ? retryAfterMs : undefined;
  const backoff = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retry, MAX_RETRY_DELAY_MS);
  return backoff * (1 - random() * 0.25);
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

interface Call<T> {
  method: Method;
  path: string | Path;
  /** A validated query, serialised as `key=value` (arrays comma-joined). */
  query?: Record<string, unknown> | undefined;
  /** A validated JSON body. */
  body?: unknown;
  /** A binary body with its type, sent as is (an archive upload); never with `body`. */
  bytes?: { data: Uint8Array; contentType: string } | undefined;
  /** Reads the successful response; throws `WaypostError` `invalid_response` when it does not fit. */
  read: (text: string, meta: { status: number; requestId: string | undefined }) => T;
  accept?: string;
  options?: RequestOptions | undefined;
}

/**
 * The one HTTP client every resource goes through. Validation, headers, the idempotency key, timeouts,
 * retries and error mapping all live here, so they behave the same for every endpoint.
 */
export class HttpClient {
  readonly #config: HttpClientConfig;

  constructor(config: HttpClientConfig) {
    this.#config = config;
  }

  get<R extends z.ZodType>(path: string | Path, spec: { query?: unknown; schema?: z.ZodType; response: R }, options?: RequestOptions) {
    return this.#json('GET', path, spec, options);
  }

  post<R extends z.ZodType>(path: string | Path, spec: { body?: unknown; schema?: z.ZodType; response: R }, options?: RequestOptions) {
    return this.#json('POST', path, spec, options);
  }

  put<R extends z.ZodType>(path: string | Path, spec: { body: unknown; schema: z.ZodType; response: R }, options?: RequestOptions) {
    return this.#json('PUT', path, spec, options);
  }

  patch<R extends z.ZodType>(path: string | Path, spec: { body: unknown; schema: z.ZodType; response: R }, options?: RequestOptions) {
    return this.#json('PATCH', path, spec, options);
  }

  delete<R extends z.ZodType>(path: string | Path, spec: { response: R }, options?: RequestOptions) {
    return this.#json('DELETE', path, spec, options);
  }

  /** A `PUT` of bytes, such as a zip archive, answered with JSON. */
  putBytes<R extends z.ZodType>(path: string | Path, spec: { data: Uint8Array; contentType: string; response: R }, options?: RequestOptions): Promise<z.output<R>> {
    const { data, contentType, response } = spec;
    return this.#send({ method: 'PUT', path, bytes: { data, contentType }, read: (text, meta) => readJson(response, text, meta), options });
  }

  /** A list endpoint: the first page, which fetches the following ones with the same filters. */
  list<I extends z.ZodType>(
    path: string | Path,
    spec: { query: unknown; schema: z.ZodType; item: I },
    options?: RequestOptions,
  ): PagePromise<z.output<I>> {
    type Item = z.output<I>;
    const listSchema = listOf(spec.item);
    const fetchPage = async (query: Record<string, unknown>): Promise<Page<Item>> => {
      const list = (await this.#json('GET', path, { query, response: listSchema }, options)) as { data: Item[]; nextCursor: string | null };
      return new Page<Item>(list, (cursor) => fetchPage({ ...query, cursor }));
    };
    return new PagePromise(
      Promise.resolve().then(() => fetchPage(validate(spec.schema, spec.query ?? {}) as Record<string, unknown>)),
    );
  }

  /** A CSV export: the same query as the JSON list, answered as text. */
  async csv(path: string, spec: { query: unknown; schema: z.ZodType }, options?: RequestOptions): Promise<string> {
    const query = { ...(validate(spec.schema, spec.query ?? {}) as Record<string, unknown>), format: 'csv' };
    return this.#send({ method: 'GET', path, query, accept: 'text/csv', read: (text) => text, options });
  }

  async #json<R extends z.ZodType>(
    method: Method,
    path: string | Path,
    spec: { query?: unknown; body?: unknown; schema?: z.ZodType; response: R },
    options: RequestOptions | undefined,
  ): Promise<z.output<R>> {
    const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const input = hasBody ? spec.body : spec.query;
    const parsed = spec.schema ? validate(spec.schema, hasBody ? input : (input ?? {})) : input;
    return this.#send({
      method,
      path,
      ...(hasBody ? { body: parsed } : { query: parsed as Record<string, unknown> | undefined }),
      read: (text, meta) => readJson(spec.response, text, meta),
      options,
    });
  }

  async #send<T>(call: Call<T>): Promise<T> {
    const options = call.options ?? {};
    const url = this.#url(call.path, call.query);
    const maxRetries = options.maxRetries ?? this.#config.maxRetries;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.#config.apiKey}`,
      'User-Agent': `waypost-node/${VERSION}`,
      Accept: call.accept ?? 'application/json',
    };
    // Chosen once per call, before the first attempt, so that every retry of it carries the same key.
    if (call.method === 'POST') headers['Idempotency-Key'] = options.idempotencyKey ?? crypto.randomUUID();
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    if (call.bytes) headers['Content-Type'] = call.bytes.contentType;
    // A copy over a plain ArrayBuffer: what fetch takes as a body, whatever buffer the caller's bytes sit on.
    const body = call.bytes ? new Uint8Array(call.bytes.data) : call.body === undefined ? undefined : JSON.stringify(call.body);

    for (let retry = 0; ; retry++) {
      const outcome = await this.#attempt(url, { method: call.method, headers, body }, options);
      let error: WaypostError;
      let retryAfterMs: number | undefined;
      if ('error' in outcome) {
        error = outcome.error;
      } else {
        const { response, text } = outcome;
        const requestId = response.headers.get('x-request-id') ?? undefined;
        if (response.ok) return call.read(text, { status: response.status, requestId });
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        error = errorFromResponse(response.status, text, requestId, retryAfterMs);
        if (!isRetryableStatus(response.status)) throw error;
      }
      if (retry >= maxRetries) throw error;
      const delay = retryDelay(retry, retryAfterMs);
      if (delay === undefined) throw error;
      await sleep(delay, options.signal);
    }
  }

  /** One attempt: a response with its body read, or the connection error to retry on. */
  async #attempt(
    url: string,
    init: { method: Method; headers: Record<string, string>; body: string | Uint8Array<ArrayBuffer> | undefined },
    options: RequestOptions,
  ): Promise<{ response: Response; text: string } | { error: WaypostConnectionError }> {
    const timeout = options.timeout ?? this.#config.timeout;
    try {
      // ky makes a single attempt (retry: 0): the retry loop is the one above, which keeps the idempotency key.
      const response = await ky(url, {
        ...init,
        timeout,
        retry: 0,
        throwHttpErrors: false,
        ...(this.#config.fetch ? { fetch: this.#config.fetch } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return { response, text: await response.text() };
    } catch (cause) {
      if (options.signal?.aborted) throw aborted(cause);
      return { error: connectionError(cause, url, timeout) };
    }
  }

  #url(path: string | Path, query: Record<string, unknown> | undefined): string {
    let pathname = typeof path === 'string' ? path : path.strings[0]!;
    if (typeof path !== 'string') {
      path.ids.forEach((id, index) => {
        const checked = IdSchema.safeParse(id);
        if (!checked.success) throw validationError(toErrorIssues(checked.error, ['id']));
        pathname += encodeURIComponent(checked.data) + path.strings[index + 1]!;
      });
    }
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      search.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const qs = search.toString();
    return `${this.#config.baseUrl}${pathname}${qs ? `?${qs}` : ''}`;
  }
}

function readJson<R extends z.ZodType>(schema: R, text: string, meta: { status: number; requestId: string | undefined }): z.output<R> {
  let json: unknown;
  try {
    // 204 No Content (a deletion) has no body at all.
    json = meta.status === 204 && text === '' ? undefined : JSON.parse(text);
  } catch {
    throw invalidResponse(`the response to a ${meta.status} is not JSON`, meta);
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issues = toErrorIssues(result.error);
  throw invalidResponse(`the response does not match the expected shape (${describeIssues(issues)}); are the SDK and server versions compatible?`, meta, issues);
}

function invalidResponse(message: string, meta: { status: number; requestId: string | undefined }, issues?: ErrorIssue[]): WaypostError {
  return new WaypostError({ code: 'invalid_response', message, status: meta.status, requestId: meta.requestId, issues });
}

function errorFromResponse(status: number, text: string, requestId: string | undefined, retryAfterMs: number | undefined): WaypostError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = ErrorResponseSchema.safeParse(body);
  const retryAfter = retryAfterMs === undefined ? undefined : retryAfterMs / 1000;
  if (parsed.success) {
    const { code, message, issues } = parsed.data.error;
    return errorForStatus({ status, code, message, issues, requestId, retryAfter });
  }
  // A proxy or load balancer may answer with HTML or nothing; the status still tells what happened.
  return errorForStatus({ status, code: 'http_error', message: `the server answered HTTP ${status} without a Waypost error body`, requestId, retryAfter });
}

function connectionError(cause: unknown, url: string, timeout: number): WaypostConnectionError {
  const { origin } = new URL(url);
  if (cause instanceof TimeoutError || (cause instanceof Error && cause.name === 'TimeoutError')) {
    return new WaypostConnectionError({ code: 'timeout', message: `the request to ${origin} got no answer within ${timeout} ms`, cause });
  }
  const reason = cause instanceof Error ? describeCause(cause) : String(cause);
  return new WaypostConnectionError({ code: 'connection_error', message: `could not reach ${origin}: ${reason}`, cause });
}

// Node's fetch reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND…) in `cause`.
function describeCause(error: Error): string {
  const inner = error.cause;
  return inner instanceof Error && inner.message ? `${error.message} (${inner.message})` : error.message;
}

function aborted(cause: unknown): WaypostConnectionError {
  return new WaypostConnectionError({ code: 'aborted', message: 'the request was aborted by its signal', cause });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
