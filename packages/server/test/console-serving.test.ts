import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDistDir, consoleRoutes } from '../src/console.js';
import { startTestServer, type TestServer } from './support/harness.js';

/** A server with only the console's routes, over `dir` as the console's build. */
async function serveConsole(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  consoleRoutes(app, dir);
  app.use((_req, res) => void res.status(404).json({ error: { code: 'not_found', message: 'no route' } }));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function expectStrictHeaders(response: Response): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("form-action 'self'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('the console at /app/', () => {
  const dirs: string[] = [];
  const built = () => {
    const dir = mkdtempSync(join(tmpdir(), 'waypost-console-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Waypost</title><script type="module" src="/app/assets/index-abc123.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("console");');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    return dir;
  };
  let site: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    site = await serveConsole(built());
  });
  afterAll(async () => {
    await site.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at /app/ under a strict CSP, revalidated on every load', async () => {
    const response = await fetch(`${site.url}/app/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expectStrictHeaders(response);
    expect(await response.text()).toContain('<title>Waypost</title>');
  });

  it('answers a deep link into the app with index.html', async () => {
    const response = await fetch(`${site.url}/app/offers/off_123/edit?tab=payout`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expectStrictHeaders(response);
    expect(await response.text()).toContain('<title>Waypost</title>');
  });

  it('caches hashed assets for a year as immutable', async () => {
    const response = await fetch(`${site.url}/app/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectStrictHeaders(response);
  });

  it('serves the other files of the build without long caching', async () => {
    const response = await fetch(`${site.url}/app/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for a missing asset instead of the HTML page', async () => {
    const response = await fetch(`${site.url}/app/assets/index-old999.js`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('redirects /app to /app/', async () => {
    const response = await fetch(`${site.url}/app`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/app/');
  });

  it('does not serve files outside the build', async () => {
    const response = await fetch(`${site.url}/app/%2e%2e/%2e%2e/etc/passwd`);
    expect(await response.text()).not.toContain('root:');
  });

  it('leaves requests that change state to the rest of the server', async () => {
    const response = await fetch(`${site.url}/app/offers`, { method: 'POST' });
    expect(response.status).toBe(404);
  });

  it('answers 503 with a page that says to run pnpm build when the console is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'waypost-console-missing-'));
    dirs.push(empty);
    const bare = await serveConsole(join(empty, 'dist'));
    try {
      const response = await fetch(`${bare.url}/app/offers`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expectStrictHeaders(response);
      expect(await response.text()).toContain('pnpm build');
    } finally {
      await bare.close();
    }
  });

  it('finds the build in the console package of the workspace', () => {
    expect(consoleDistDir()).toBe(join(import.meta.dirname, '..', '..', 'console', 'dist'));
  });
});

describe('the server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.close());

  it('mounts the console at /app/ beside the API', async () => {
    const response = await server.request('/app/offers', { key: null });
    // 200 once `pnpm build` has run, else the 503 page that says to run it: the console's answer either way.
    expect([200, 503]).toContain(response.status);
    expectStrictHeaders(response);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
