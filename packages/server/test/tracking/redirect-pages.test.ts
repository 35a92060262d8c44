import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeLocation, HopTokens, redirectAnswer, scriptString } from '../../src/tracking/redirect-pages.js';

const HOSTILE = `https://offer.example/lp?q="><script>alert(1)</script>&x='y'&s=</script><!--\u2028&z=1`;
const hop = (url: string) => `https://track.example/r/${encodeURIComponent(url)}`;

describe('redirect pages', () => {
  it('answers 302 and 307 with the parsed URL in Location', () => {
    for (const mode of ['302', '307'] as const) {
      const answer = redirectAnswer(mode, HOSTILE, hop)!;
      expect(answer.status).toBe(Number(mode));
      expect(answer.headers.Location).toBe(new URL(HOSTILE).href);
      expect(answer.headers.Location).not.toMatch(/[<>"\s]/);
    }
  });

  it('refuses targets that are not http(s)', () => {
    for (const mode of ['302', '307', 'meta', 'double_meta', 'js'] as const) {
      expect(redirectAnswer(mode, 'javascript:alert(1)', hop)).toBeNull();
      expect(redirectAnswer(mode, 'data:text/html,<script>alert(1)</script>', hop)).toBeNull();
      expect(redirectAnswer(mode, 'not a url', hop)).toBeNull();
    }
  });

  it('writes a meta page with no referrer, noindex, no-store and an escaped target', () => {
    const answer = redirectAnswer('meta', `https://offer.example/?a="b"&c=<d>'`, hop)!;
    expect(answer.status).toBe(200);
    expect(answer.headers['Cache-Control']).toBe('no-store');
    expect(answer.headers['X-Robots-Tag']).toContain('noindex');
    expect(answer.body).toContain('<meta name="referrer" content="no-referrer">');
    expect(answer.body).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(answer.body).toMatch(/<meta http-equiv="refresh" content="0;url=https:\/\/offer\.example\/\?a=[^"<>]*">/);
    expect(answer.body).not.toContain('<d>');
  });

  it('points a double meta page at the hop, not at the target', () => {
    const answer = redirectAnswer('double_meta', 'https://offer.example/x', hop)!;
    expect(answer.body).toContain('content="0;url=https://track.example/r/https%3A%2F%2Foffer.example%2Fx"');
    expect(answer.body).not.toContain('url=https://offer.example/x"');
  });

  it('writes a js page whose script cannot be ended by the target and whose CSP allows only that script', () => {
    const answer = redirectAnswer('js', HOSTILE, hop)!;
    const script = /<script>(.*?)<\/script>/s.exec(answer.body)![1]!;
    expect(script).not.toMatch(/[<>\u2028\u2029]/);
    expect(script).toBe(`location.replace(${scriptString(new URL(HOSTILE).href)});`);
    // The script string reads back as the target.
    expect(JSON.parse(script.slice('location.replace('.length, -2))).toBe(new URL(HOSTILE).href);
    const hash = createHash('sha256').update(script).digest('base64');
    expect(answer.headers['Content-Security-Policy']).toContain(`script-src 'sha256-${hash}'`);
    expect(answer.body).toMatch(/<noscript><meta http-equiv="refresh" content="0;url=[^"<>]*"><\/noscript>/);
  });

  it('escapes <, >, & and line separators in script strings', () => {
    expect(scriptString('</script>&\u2028\u2029')).toBe('"\\u003c/script\\u003e\\u0026\\u2028\\u2029"');
  });
});

describe('hop tokens', () => {
  const tokens = new HopTokens(Buffer.alloc(32, 7));
  const now = new Date('2026-03-01T12:00:00Z');

  it('give back the signed target until they expire', () => {
    const token = tokens.sign('https://offer.example/x?a=1', now);
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(tokens.verify(token, now)).toBe('https://offer.example/x?a=1');
    expect(tokens.verify(token, new Date(now.getTime() + 299_000))).toBe('https://offer.example/x?a=1');
    expect(tokens.verify(token, new Date(now.getTime() + 300_000))).toBeNull();
  });

  it('refuse a changed target, another key and garbage', () => {
    const token = tokens.sign('https://offer.example/x', now);
    const [payload, mac] = token.split('.');
    const forged = `${Buffer.from(Buffer.from(payload!, 'base64url').toString().replace('offer.example', 'evil.example')).toString('base64url')}.${mac}`;
    expect(tokens.verify(forged, now)).toBeNull();
    expect(new HopTokens(Buffer.alloc(32, 8)).verify(token, now)).toBeNull();
    expect(tokens.verify('garbage', now)).toBeNull();
    expect(tokens.verify('', now)).toBeNull();
    expect(tokens.verify('.', now)).toBeNull();
  });
});

describe('encodeLocation', () => {
  it('percent-encodes what may not stand in a URL and keeps the escapes already there, as Express redirects do', () => {
    expect(encodeLocation('https://shop.example/a b?q="x"&s=%20&t=50%')).toBe('https://shop.example/a%20b?q=%22x%22&s=%20&t=50%25');
    expect(encodeLocation('https://shop.example/café?<script>')).toBe('https://shop.example/caf%C3%A9?%3Cscript%3E');
    expect(encodeLocation('https://shop.example/?line=a\r\nSet-Cookie:x')).toBe('https://shop.example/?line=a%0D%0ASet-Cookie:x');
    expect(encodeLocation('https://shop.example/?s=\uD83D')).toBe('https://shop.example/?s=%EF%BF%BD');
    expect(encodeLocation('https://shop.example/?e=\uD83D\uDE00')).toBe('https://shop.example/?e=%F0%9F%98%80');
  });
});
