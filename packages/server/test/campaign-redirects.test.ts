import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedirectMode } from '@waypost/schema';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { createCampaign, createLander, toOffer, visit } from './support/campaigns.js';

// Quotes, angle brackets, a script end tag, an HTML comment and a line separator, in the query of an https URL.
const HOSTILE = `https://offer.example/go?q="><script>alert(1)</script>&x='y'&s=</script><!--&ls=\u2028&cid={click_id}`;

const refreshTarget = (body: string) => /<meta http-equiv="refresh" content="0;url=([^"]*)">/.exec(body)?.[1]?.replaceAll('&amp;', '&');

describe.each(backends())('campaign redirect modes (%s)', (backend) => {
  let server: TestServer;
  let offerId: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    offerId = (await server.createOffer({ url: HOSTILE })).id;
  });
  afterAll(() => server.close());

  const campaignWith = (redirect: RedirectMode) => createCampaign(server, { redirect, streams: [{ name: 's', action: toOffer(offerId) }] });
  const expected = (clickId: string | null) => new URL(HOSTILE.replace('{click_id}', clickId!)).href;

  it.each(['302', '307'] as const)('answers %s with the target, parsed and percent-encoded, in Location', async (mode) => {
    const result = await visit(server, (await campaignWith(mode)).id);
    expect(result.status).toBe(Number(mode));
    expect(result.location).toBe(expected(result.clickId));
    expect(result.location).not.toMatch(/["<>'\s]/);
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('answers meta with a no-referrer, noindex, no-store page whose refresh carries the escaped target', async () => {
    const result = await visit(server, (await campaignWith('meta')).id);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^text\/html/);
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(result.headers.get('x-robots-tag')).toContain('noindex');
    expect(result.body).toContain('<meta name="referrer" content="no-referrer">');
    expect(result.body).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(result.body).not.toContain('<script');
    expect(refreshTarget(result.body)).toBe(expected(result.clickId));
    expect(result.clickId).toBeTruthy();
  });

  it('answers double_meta with a refresh to a signed /r/ hop that refreshes to the target, and refuses a changed or expired hop', async () => {
    const result = await visit(server, (await campaignWith('double_meta')).id);
    expect(result.status).toBe(200);
    const hop = refreshTarget(result.body)!;
    expect(hop).toMatch(/^http:\/\/track\.waypost\.test\/r\/[A-Za-z0-9_.-]+$/);
    expect(result.body).not.toContain('offer.example');
    const path = new URL(hop).pathname;
    const second = await server.request(path, { key: null });
    const page = await second.text();
    expect(second.status).toBe(200);
    expect(second.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page).toContain('<meta name="referrer" content="no-referrer">');
    expect(refreshTarget(page)).toBe(expected(result.clickId));

    const token = path.slice('/r/'.length);
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace('offer.example', 'evil.example')).toString('base64url');
    expect((await server.request(`/r/${forged}.${mac}`, { key: null })).status).toBe(404);
    expect((await server.request(`/r/${encodeURIComponent('https://evil.example/')}`, { key: null })).status).toBe(404);
    server.clock.advance(10 * 60_000);
    try {
      expect((await server.request(path, { key: null })).status).toBe(404);
    } finally {
      server.clock.set('2026-03-01T12:00:00Z');
    }
  });

  it('answers js with a location.replace page whose script the target cannot end, allowed by a hash in its CSP', async () => {
    const result = await visit(server, (await campaignWith('js')).id);
    expect(result.status).toBe(200);
    const script = /<script>(.*?)<\/script>/s.exec(result.body)![1]!;
    expect(script).toMatch(/^location\.replace\(".*"\);$/s);
    expect(script).not.toMatch(/[<>\u2028\u2029]/);
    expect(JSON.parse(script.slice('location.replace('.length, -2))).toBe(expected(result.clickId));
    expect(result.body.match(/<\/script>/g)).toHaveLength(1);
    const hash = createHash('sha256').update(script).digest('base64');
    expect(result.headers.get('content-security-policy')).toContain(`script-src 'sha256-${hash}'`);
    expect(result.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(refreshTarget(/<noscript>(.*)<\/noscript>/s.exec(result.body)![1]!)).toBe(expected(result.clickId));
  });

  it.each(['302', '307', 'meta', 'double_meta', 'js'] as const)('refuses a javascript: target in %s mode with the 404 page', async (mode) => {
    // Stored past the API's URL check, as an old or hand-edited record could be.
    const lander = await createLander(server, { url: 'javascript:alert(document.cookie)//{click_url}' });
    const campaign = await createCampaign(server, { redirect: mode, streams: [{ name: 's', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 1 }], offers: [{ offerId, weight: 1 }] } }] });
    const result = await visit(server, campaign.id);
    expect(result.status).toBe(404);
    expect(result.body).toBe('This link is not available.\n');
    expect(result.body).not.toContain('javascript');
  });

  it('sends the visitor to the lander in the campaign mode, with the click URL macro expanded', async () => {
    const lander = await createLander(server, { url: 'https://lander.example/page?next={click_url}&alt={click_url:2}&c={click_id}' });
    const campaign = await createCampaign(server, { redirect: 'meta', streams: [{ name: 's', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 1 }], offers: [{ offerId, weight: 1 }] } }] });
    const result = await visit(server, campaign.id);
    const clickUrl = (n: number) => encodeURIComponent(`http://track.waypost.test/click/${n}?cid=${result.clickId}`);
    expect(refreshTarget(result.body)).toBe(`https://lander.example/page?next=${clickUrl(1)}&alt=${clickUrl(2)}&c=${result.clickId}`);
  });
});
