import { describe, expect, it } from 'vitest';
import { postbackSignature, RETRY_JITTER, retryDelay } from '../../src/domain/index.js';

const policy = { maxAttempts: 6, backoffMs: 1_000, backoffMaxMs: 8_000 };

describe('retryDelay', () => {
  it.each([
    { title: 'waits the base delay after the first failure', failed: 1, random: 0, wait: 1_000 },
    { title: 'doubles the wait with each further failure', failed: 3, random: 0, wait: 4_000 },
    { title: 'never waits longer than the cap before jitter', failed: 5, random: 0, wait: 8_000 },
    { title: 'lengthens a wait by at most a quarter at random', failed: 2, random: 0.999, wait: 2_499 },
    { title: 'gives up once the last allowed try has failed', failed: 6, random: 0, wait: null },
    { title: 'gives up past the cap too', failed: 40, random: 0.5, wait: null },
  ])('$title', ({ failed, random, wait }) => {
    expect(retryDelay(failed, policy, random)).toBe(wait);
  });

  it('stays finite and capped after very many failures', () => {
    expect(retryDelay(2_000, { ...policy, maxAttempts: 5_000 }, 1)).toBe(8_000 * (1 + RETRY_JITTER));
  });
});

describe('postbackSignature', () => {
  it('is t=UNIX,v1= the HMAC-SHA256 of "t.URL" under the secret (checked against openssl)', () => {
    const url = 'https://tracker.example.com/pb?cid=abc&status=approved';
    expect(postbackSignature(url, 'publisher-secret-0123456789', new Date('2026-03-01T12:00:00.999Z'))).toBe(
      't=1772366400,v1=0069f4d56a1e9f3448f5bffe39800962517fc57669eda46995dd818d9b226afe',
    );
  });
});
