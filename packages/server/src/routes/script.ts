import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RequestHandler } from 'express';
import { ApiError } from '../http/errors.js';

/**
 * `GET /waypost.js`: the browser script, served from the tracking domain so that it runs first-party. An hour of
 * caching (revalidated by ETag) lets a new release reach pages the same day.
 */
export function browserScript(): RequestHandler {
  let script: Buffer | null | undefined;
  let etag = '';
  return (_req, res) => {
    if (script === undefined) {
      try {
        script = readFileSync(createRequire(import.meta.url).resolve('@waypost/browser/waypost.js'));
        // The app sends no automatic ETags; this file is the one answer worth revalidating.
        etag = `"${createHash('sha256').update(script).digest('base64url').slice(0, 32)}"`;
      } catch {
        script = null;
      }
    }
    if (!script) throw new ApiError(404, 'not_built', 'waypost.js is not built: run `pnpm build`');
    res.set({
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
      ETag: etag,
    });
    res.send(script);
  };
}
