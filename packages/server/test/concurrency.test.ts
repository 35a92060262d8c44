import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, spawnSharedServers } from './support/harness.js';

/** Server processes and hundreds of requests at once: seconds on a busy machine, and none of it is timed. */
const PROCESS_TEST = { timeout: 120_000 };

/**
 * Real server processes sharing one database: PostgreSQL with two of them, SQLite with one (it is embedded and made
 * for one process). Caps and dedupe must hold under concurrent postbacks.
 */
describe.each(backends())('concurrent postbacks on %s', (backend) => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  const setUp = async () => {
    const { urls, adminKey, children: started } = await spawnSharedServers(backend);
    children.push(...started);
    const api = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${urls[0]}${path}`, { ...init, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', ...init.headers } });
      return (await response.json()) as any;
    };
    return { urls, api };
  };

  const makeClicks = async (urls: string[], offerId: string, publisherId: string, count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${urls[i % urls.length]}/c/${offerId}?pub=${publisherId}`, { redirect: 'manual' });
      ids.push(/waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!);
    }
    return ids;
  };

  const allConversions = async (api: (path: string) => Promise<any>, offerId: string) => {
    const rows: { status: string; reason: string | null }[] = [];
    let cursor = '';
    do {
      const page = await api(`/v1/conversions?offerId=${offerId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      rows.push(...page.data);
      cursor = page.nextCursor ?? '';
    } while (cursor);
    return rows;
  };

  it('lets exactly 50 of 300 concurrent postbacks through a daily cap of 50', PROCESS_TEST, async () => {
    const { urls, api } = await setUp();
    const publisher = await api('/v1/publishers', { method: 'POST', body: JSON.stringify({ name: 'Racer' }) });
    const offer = await api('/v1/offers', {
      method: 'POST',
      body: JSON.stringify({ name: 'Capped', url: 'https://example.com/?c={click_id}', payout: { model: 'cpa', amount: '1.00' }, cap: { daily: 50 } }),
    });
    const clicks = await makeClicks(urls, offer.id, publisher.id, 300);
    const answers = await Promise.all(
      clicks.map(async (clickId, i) => {
        const response = await fetch(`${urls[i % urls.length]}/postback?click_id=${clickId}&token=${offer.postbackToken}`);
        return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
      }),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.filter((answer) => answer.body.status === 'accepted')).toHaveLength(50);
    expect(answers.filter((answer) => answer.body.reason === 'cap_reached')).toHaveLength(250);
    const stored = await allConversions(api, offer.id);
    expect(stored).toHaveLength(300);
    expect(stored.filter((conversion) => conversion.status !== 'rejected')).toHaveLength(50);
  });

  it('records the same postback sent 100 times at once exactly once', PROCESS_TEST, async () => {
    const { urls, api } = await setUp();
    const publisher = await api('/v1/publishers', { method: 'POST', body: JSON.stringify({ name: 'Repeater' }) });
    const offer = await api('/v1/offers', {
      method: 'POST',
      body: JSON.stringify({ name: 'Once', url: 'https://example.com/?c={click_id}', payout: { model: 'cpa', amount: '1.00' } }),
    });
    const [clickId] = await makeClicks(urls, offer.id, publisher.id, 1);
    const answers = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const response = await fetch(`${urls[i % urls.length]}/postback?click_id=${clickId}&transaction_id=T-1&amount=10&token=${offer.postbackToken}`);
        return ((await response.json()) as { status: string }).status;
      }),
    );
    expect(answers.filter((status) => status === 'accepted')).toHaveLength(1);
    expect(answers.filter((status) => status === 'duplicate')).toHaveLength(99);
    expect(await allConversions(api, offer.id)).toHaveLength(1);
  });
});
