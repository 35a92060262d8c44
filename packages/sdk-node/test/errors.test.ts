import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  isWaypostAPIError,
  isWaypostAuthenticationError,
  isWaypostConflictError,
  isWaypostConnectionError,
  isWaypostError,
  isWaypostNotFoundError,
  isWaypostPermissionError,
  isWaypostRateLimitError,
  isWaypostValidationError,
  WaypostAPIError,
  WaypostAuthenticationError,
  WaypostConflictError,
  WaypostConnectionError,
  WaypostError,
  WaypostNotFoundError,
  WaypostPermissionError,
  WaypostRateLimitError,
  WaypostValidationError,
} from '../src/index.js';
import { client, mockWaypost, url } from './helpers.js';

const mock = mockWaypost();

const table = [
  { status: 400, Class: WaypostValidationError, guard: isWaypostValidationError },
  { status: 401, Class: WaypostAuthenticationError, guard: isWaypostAuthenticationError },
  { status: 403, Class: WaypostPermissionError, guard: isWaypostPermissionError },
  { status: 404, Class: WaypostNotFoundError, guard: isWaypostNotFoundError },
  { status: 409, Class: WaypostConflictError, guard: isWaypostConflictError },
  { status: 413, Class: WaypostAPIError, guard: isWaypostAPIError },
  { status: 422, Class: WaypostValidationError, guard: isWaypostValidationError },
  { status: 429, Class: WaypostRateLimitError, guard: isWaypostRateLimitError },
  { status: 500, Class: WaypostAPIError, guard: isWaypostAPIError },
  { status: 503, Class: WaypostAPIError, guard: isWaypostAPIError },
];

describe('error classes', () => {
  it.each(table)('maps a $status to $Class.name', async ({ status, Class, guard }) => {
    const issues = [{ path: 'name', code: 'conflict', message: 'taken' }];
    mock.server.use(
      http.get(url('/v1/publishers/pub_1'), () =>
        HttpResponse.json(
          { error: { code: `code_${status}`, message: `message ${status}`, issues } },
          { status, headers: { 'X-Request-Id': `req_${status}`, 'Retry-After': '3' } },
        ),
      ),
    );
    const error = await client({ maxRetries: 0 }).publishers.retrieve('pub_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(WaypostError);
    expect(guard(error)).toBe(true);
    expect(isWaypostError(error)).toBe(true);
    expect(error).toMatchObject({
      name: Class.name,
      status,
      code: `code_${status}`,
      message: `message ${status}`,
      requestId: `req_${status}`,
      issues,
    });
    if (error instanceof WaypostRateLimitError) expect(error.retryAfter).toBe(3);
  });

  it('gives each class a literal name and a guard that rejects the others', () => {
    const init = { code: 'x', message: 'y' };
    const all = [
      [new WaypostValidationError(init), isWaypostValidationError],
      [new WaypostAuthenticationError(init), isWaypostAuthenticationError],
      [new WaypostPermissionError(init), isWaypostPermissionError],
      [new WaypostNotFoundError(init), isWaypostNotFoundError],
      [new WaypostConflictError(init), isWaypostConflictError],
      [new WaypostRateLimitError(init), isWaypostRateLimitError],
      [new WaypostAPIError(init), isWaypostAPIError],
      [new WaypostConnectionError(init), isWaypostConnectionError],
    ] as const;
    for (const [error, guard] of all) {
      expect(error.name).toBe(error.constructor.name);
      expect(String(error)).toBe(`${error.name}: y`);
      for (const [other, otherGuard] of all) expect(otherGuard(error)).toBe(other === error);
    }
    expect(isWaypostError(new Error('plain'))).toBe(false);
    expect(isWaypostNotFoundError(undefined)).toBe(false);
  });

  it('recognises an error thrown by another copy of the SDK (ESM and CommonJS side by side) by its name', () => {
    const foreign = Object.assign(new Error('offer not found'), { name: 'WaypostNotFoundError', status: 404 });
    expect(isWaypostNotFoundError(foreign)).toBe(true);
    expect(isWaypostError(foreign)).toBe(true);
    expect(isWaypostConflictError(foreign)).toBe(false);
  });
});
