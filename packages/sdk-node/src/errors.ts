import type { ErrorIssue } from '@waypost/schema';

export type { ErrorIssue };

export interface WaypostErrorInit {
  message: string;
  /** A stable, snake_case code: the server's `error.code`, or one of the SDK's own (see each class). */
  code: string;
  status?: number | undefined;
  requestId?: string | undefined;
  issues?: ErrorIssue[] | undefined;
  cause?: unknown;
}

/**
 * The base of every error the SDK throws. Catch this one to handle them all, or test for a subclass with
 * `instanceof` or its type guard (`isWaypostNotFoundError(error)`).
 */
export class WaypostError extends Error {
  // A plain string so that each subclass can narrow it to its own literal name.
  override readonly name: string = 'WaypostError';
  /** The HTTP status of the response, or `undefined` when no response was received or no request was made. */
  readonly status: number | undefined;
  readonly code: string;
  /** The server's `X-Request-Id` for this request, to quote when reporting a problem. */
  readonly requestId: string | undefined;
  /** One entry per offending field, when the error is about the input. */
  readonly issues: ErrorIssue[] | undefined;

  constructor(init: WaypostErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.issues = init.issues;
  }
}

/**
 * The input was refused: by the SDK before any request was made (`status` is `undefined`, `code` is
 * `validation_error`), or by the server (`status` 400 or 422). `issues` names each offending field.
 */
export class WaypostValidationError extends WaypostError {
  override readonly name = 'WaypostValidationError' as const;
}

/** 401: the API key is missing, malformed or revoked. */
export class WaypostAuthenticationError extends WaypostError {
  override readonly name = 'WaypostAuthenticationError' as const;
}

/** 403: the key is valid but may not do this, such as a publisher key calling an admin endpoint. */
export class WaypostPermissionError extends WaypostError {
  override readonly name = 'WaypostPermissionError' as const;
}

/** 404: the resource does not exist, or belongs to another publisher. */
export class WaypostNotFoundError extends WaypostError {
  override readonly name = 'WaypostNotFoundError' as const;
}

/**
 * 409: the request conflicts with the current state, such as a forbidden status transition, a duplicate name,
 * or an `Idempotency-Key` reused with a different body.
 */
export class WaypostConflictError extends WaypostError {
  override readonly name = 'WaypostConflictError' as const;
}

/** 429: too many requests. Thrown once the SDK's own retries are spent. */
export class WaypostRateLimitError extends WaypostError {
  override readonly name = 'WaypostRateLimitError' as const;
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | undefined;

  constructor(init: WaypostErrorInit & { retryAfter?: number | undefined }) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}

/** Any other error status (5xx once retries are spent, 413, 415, …). */
export class WaypostAPIError extends WaypostError {
  override readonly name = 'WaypostAPIError' as const;
}

/**
 * No response arrived: the connection failed or dropped (`code` is `connection_error`), an attempt took longer
 * than `timeout` (`timeout`), or the caller's `signal` aborted the request (`aborted`).
 */
export class WaypostConnectionError extends WaypostError {
  override readonly name = 'WaypostConnectionError' as const;
}

type ErrorClass<T extends WaypostError> = abstract new (...args: never[]) => T;

// `instanceof` fails when an app loads both the ESM and the CommonJS build; the name still tells.
function guard<T extends WaypostError>(Class: ErrorClass<T>, name: string) {
  return (error: unknown): error is T => error instanceof Class || (error instanceof Error && error.name === name);
}

export const isWaypostValidationError = guard(WaypostValidationError, 'WaypostValidationError');
export const isWaypostAuthenticationError = guard(WaypostAuthenticationError, 'WaypostAuthenticationError');
export const isWaypostPermissionError = guard(WaypostPermissionError, 'WaypostPermissionError');
export const isWaypostNotFoundError = guard(WaypostNotFoundError, 'WaypostNotFoundError');
export const isWaypostConflictError = guard(WaypostConflictError, 'WaypostConflictError');
export const isWaypostRateLimitError = guard(WaypostRateLimitError, 'WaypostRateLimitError');
export const isWaypostAPIError = guard(WaypostAPIError, 'WaypostAPIError');
export const isWaypostConnectionError = guard(WaypostConnectionError, 'WaypostConnectionError');

const NAMES = new Set([
  'WaypostError',
  'WaypostValidationError',
  'WaypostAuthenticationError',
  'WaypostPermissionError',
  'WaypostNotFoundError',
  'WaypostConflictError',
  'WaypostRateLimitError',
  'WaypostAPIError',
  'WaypostConnectionError',
]);

export function isWaypostError(error: unknown): error is WaypostError {
  return error instanceof WaypostError || (error instanceof Error && NAMES.has(error.name));
}

/** The one place that picks an error class for an HTTP status. */
export function errorForStatus(init: WaypostErrorInit & { status: number; retryAfter?: number | undefined }): WaypostError {
  switch (init.status) {
    case 400:
    case 422:
      return new WaypostValidationError(init);
    case 401:
      return new WaypostAuthenticationError(init);
    case 403:
      return new WaypostPermissionError(init);
    case 404:
      return new WaypostNotFoundError(init);
    case 409:
      return new WaypostConflictError(init);
    case 429:
      return new WaypostRateLimitError(init);
    default:
      return new WaypostAPIError(init);
  }
}
