import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { Waypost } from '../src/index.js';
import { CLICK_ID } from './helpers.js';

const OTHER_ID = 'q9w8e7r6t5y4u3i2o1p0asdfgh';

/** Starts a real server on port 0, sends one request to it, and returns the request object the server got. */
async function capture<R>(listen: (deliver: (req: R) => void) => ReturnType<typeof createServer>, path: string, cookie?: string): Promise<R> {
  let captured: R | undefined;
  const server = listen((req) => {
    captured = req;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: cookie ? { cookie } : {} });
    await response.text();
  } finally {
    server.close();
  }
  return captured!;
}

const nodeRequest = (path: string, cookie?: string) =>
  capture<IncomingMessage>(
    (deliver) =>
      createServer((req, res) => {
        deliver(req);
        res.end('ok');
      }),
    path,
    cookie,
  );

const expressRequest = (path: string, cookie?: string) =>
  capture<express.Request>((deliver) => {
    const app = express();
    app.get('/checkout', (req, res) => {
      deliver(req);
      res.send('ok');
    });
    return createServer(app);
  }, path, cookie);

const fetchRequest = async (path: string, cookie?: string) =>
  new Request(`https://shop.example.com${path}`, { headers: cookie ? { cookie } : {} });

describe.each([
  ['an Express request', expressRequest],
  ['a node:http IncomingMessage', nodeRequest],
  ['a Fetch Request', fetchRequest],
])('Waypost.clickIdFrom with %s', (_, request) => {
  it('reads the waypost_cid cookie', async () => {
    expect(Waypost.clickIdFrom(await request('/checkout', `theme=dark; waypost_cid=${CLICK_ID}; other=1`))).toBe(CLICK_ID);
  });

  it('reads the click_id query parameter when there is no cookie', async () => {
    expect(Waypost.clickIdFrom(await request(`/checkout?plan=pro&click_id=${CLICK_ID}`))).toBe(CLICK_ID);
  });

  it('prefers the cookie to the query parameter', async () => {
    expect(Waypost.clickIdFrom(await request(`/checkout?click_id=${OTHER_ID}`, `waypost_cid=${CLICK_ID}`))).toBe(CLICK_ID);
  });

  it('falls back to the query parameter when the cookie is not a click id', async () => {
    expect(Waypost.clickIdFrom(await request(`/checkout?click_id=${CLICK_ID}`, 'waypost_cid=%7Bclick_id%7D'))).toBe(CLICK_ID);
  });

  it('decodes a URI-encoded cookie value', async () => {
    expect(Waypost.clickIdFrom(await request('/checkout', `waypost_cid=${encodeURIComponent(CLICK_ID)}`))).toBe(CLICK_ID);
  });

  it.each([
    ['an unfilled placeholder', '%7Bclick_id%7D'],
    ['a value that is too long', 'a'.repeat(33)],
    ['a value that is not URL-safe', 'abc%20def%3Cscript%3E'],
    ['a value that is too short', 'abc'],
  ])('returns undefined for %s', async (__, value) => {
    expect(Waypost.clickIdFrom(await request(`/checkout?click_id=${value}`, `waypost_cid=${value}`))).toBeUndefined();
  });

  it('returns undefined when the request carries no click id', async () => {
    expect(Waypost.clickIdFrom(await request('/checkout'))).toBeUndefined();
  });
});

describe('Waypost.clickIdFrom with cookie-parser', () => {
  it('reads req.cookies when the app parsed them, and ignores a non-string cookie', () => {
    expect(Waypost.clickIdFrom({ headers: {}, cookies: { waypost_cid: CLICK_ID }, query: {} })).toBe(CLICK_ID);
    expect(Waypost.clickIdFrom({ headers: { cookie: `waypost_cid=${CLICK_ID}` }, cookies: { waypost_cid: { nested: 1 } } })).toBe(CLICK_ID);
    expect(Waypost.clickIdFrom({ headers: {}, query: { click_id: [CLICK_ID, OTHER_ID] } })).toBe(CLICK_ID);
  });
});
