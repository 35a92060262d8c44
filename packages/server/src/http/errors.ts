import { describeIssues, type ErrorIssue, type ErrorResponse } from '@waypost/schema';
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DatabaseBusyError } from '../storage/index.js';

/** An error with an HTTP status and a stable code: everything a handler throws on purpose. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: ErrorIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  static validation(issues: ErrorIssue[], status = 422): ApiError {
    return new ApiError(status, 'validation_error', describeIssues(issues), issues);
  }

  /** A 422 for one field, such as an amount whose decimals do not fit the offer currency. */
  static field(path: string, message: string, code = 'validation_error'): ApiError {
    return new ApiError(422, code, `${path}: ${message}`, [{ path, code, message }]);
  }

  static notFound(what: string): ApiError {
    return new ApiError(404, 'not_found', `${what} not found`);
  }

  static forbidden(message = 'this API key is not allowed to do that'): ApiError {
    return new ApiError(403, 'forbidden', message);
  }

  static conflict(message: string, field?: string): ApiError {
    return new ApiError(409, 'conflict', message, field ? [{ path: field, code: 'conflict', message }] : undefined);
  }

  toBody(): ErrorResponse {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

/** Body-parser failures carry a `type`; each becomes a 4xx with a code, never a 500. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'malformed_json', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'the request body is too large'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_charset', 'the request body charset is not supported'],
  'request.aborted': [400, 'request_aborted', 'the request was aborted'],
  'request.size.invalid': [400, 'invalid_body', 'the request body size does not match Content-Length'],
  'stream.encoding.set': [500, 'internal_error', 'internal error'],
  'parameters.too.many': [413, 'too_many_parameters', 'the form has more than 1,000 fields'],
  'querystring.parse.rangeError': [400, 'invalid_body', 'the form nests deeper than accepted'],
};
const CORRUPT_BODY: [number, string, string] = [400, 'invalid_body', 'the request body cannot be decompressed; check its Content-Encoding'];

/**
 * The 4xx for a request body that cannot be read or parsed, or undefined when `error` is not a body parser's. A
 * corrupt gzip, deflate or br body fails in zlib, whose error body-parser passes on without a `type`: only an
 * `errno` and the client-error mark (`expose`) of http-errors tell it apart.
 */
export function bodyError(error: unknown): ApiError | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { type, expose, errno } = error as { type?: unknown; expose?: unknown; errno?: unknown };
  let entry: [number, string, string] | undefined;
  if (typeof type === 'string' && Object.hasOwn(BODY_ERRORS, type)) entry = BODY_ERRORS[type];
  else if (type === undefined && expose === true && typeof errno === 'number') entry = CORRUPT_BODY;
  if (!entry) return undefined;
  const [status, code, message] = entry;
  return new ApiError(status, code, message, [{ path: 'body', code, message }]);
}

export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  const body = bodyError(error);
  if (body) return body;
  // A URI that cannot be decoded (`/v1/offers/%E0%A4%A`) is the client's fault.
  if (error instanceof URIError) return new ApiError(400, 'malformed_url', 'the request URL is not valid');
  // Another process held SQLite's write lock for too long (README, Security): nothing was written, and the client may
  // retry.
  if (error instanceof DatabaseBusyError) {
    return new ApiError(503, 'database_busy', 'the database is busy; retry shortly', undefined, { 'Retry-After': '1' });
  }
  return undefined;
}

/** The last middleware: JSON errors only, never a stack trace or an HTML page. */
export function errorHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => sendError(res, error, log);
}

/** Answers with the error's status and body (a 500 for what is no {@link ApiError}, which is logged). */
export function sendError(res: ServerResponse, error: unknown, log: (error: unknown) => void): void {
  const apiError = toApiError(error);
  if (!apiError) log(withoutBody(error));
  const known = apiError ?? new ApiError(500, 'internal_error', 'internal error; the request can be retried');
  if (res.headersSent) return;
  const body = JSON.stringify(known.toBody());
  res.writeHead(known.status, { ...known.headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A body parser's error carries the raw body, tokens and all; the log gets a copy without it. */
function withoutBody(error: unknown): unknown {
  if (error === null || typeof error !== 'object' || !Object.hasOwn(error, 'body')) return error;
  const { body: _, ...rest } = Object.getOwnPropertyDescriptors(error);
  return Object.create(Object.getPrototypeOf(error), rest);
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};
