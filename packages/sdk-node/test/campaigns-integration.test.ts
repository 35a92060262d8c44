import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, createApp, listen, loadConfig, openStore, type Store, systemClock } from '@waypost/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Waypost, WaypostConflictError, WaypostValidationError } from '../src/index.js';

// The campaign resources through the SDK against the real reference server on port 0, over a real SQLite file.
describe('the Node SDK’s campaign resources against the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-sdk-campaigns-'));
  let store: Store;
  let server: Server;
  let baseUrl: string;
  let waypost: Waypost;

  beforeAll(async () => {
    const config = loadConfig({ WAYPOST_DATABASE_URL: `file:${join(dir, 'sdk.db')}` });
    store = openStore(config.databaseUrl);
    await store.migrate();
    server = await listen(createApp({ store, config, log: () => {} }), 0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { key } = await createApiKey({ store, clock: systemClock }, { role: 'admin' });
    waypost = new Waypost({ apiKey: key, baseUrl });
  });
  afterAll(async () => {
    server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds a campaign from a source, a lander and an offer, replaces its streams keeping an id, and sends a visit through it', async () => {
    const offer = await waypost.offers.create({ name: 'Sweepstakes', url: 'https://offer.example.com/?c={click_id}', payout: { model: 'cpa', amount: '2.50' } });
    const source = await waypost.trafficSources.create({ name: 'PushSource', params: [{ field: 'externalId', param: 'cid', macro: '{clickid}' }] });
    const lander = await waypost.landers.create({ name: 'Quiz', url: 'https://lp.example.com/quiz' });
    const campaign = await waypost.campaigns.create({
      name: 'Push US',
      alias: 'push-us',
      trafficSourceId: source.id,
      cost: { model: 'cpc', amount: '0.0004' },
      streams: [{ name: 'Everyone', action: { type: 'flow', landers: [{ landerId: lander.id }], offers: [{ offerId: offer.id }] } }],
    });
    const [everyone] = campaign.streams;

    const replaced = await waypost.campaigns.replace(campaign.id, {
      name: 'Push US',
      alias: 'push-us',
      trafficSourceId: source.id,
      cost: { model: 'cpc', amount: '0.0004' },
      streams: [
        { name: 'Bots', type: 'forced', filters: [{ type: 'bot', values: [true] }], action: { type: 'not_found' } },
        { id: everyone!.id, name: 'Everyone', action: { type: 'flow', landers: [{ landerId: lander.id }], offers: [{ offerId: offer.id }] } },
      ],
    });
    expect(replaced.streams.map((stream) => stream.name)).toEqual(['Bots', 'Everyone']);
    expect(replaced.streams[1]!.id).toBe(everyone!.id);

    const links = await waypost.campaigns.links(campaign.id);
    expect(links.campaignUrl).toBe('http://localhost:8787/t/push-us?cid={clickid}');
    const listed = [];
    for await (const item of waypost.campaigns.list({ trafficSourceId: source.id, limit: 1 })) listed.push(item.id);
    expect(listed).toEqual([campaign.id]);

    const visit = await fetch(`${baseUrl}/t/push-us?cid=ext-1`, {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' },
    });
    expect(visit.status).toBe(302);
    expect(visit.headers.get('location')).toMatch(/^https:\/\/lp\.example\.com\/quiz/);

    await expect(waypost.landers.archive(lander.id)).rejects.toBeInstanceOf(WaypostConflictError);
    await expect(waypost.campaigns.update(campaign.id, { streams: [{ name: 'Loop', action: { type: 'campaign', campaignId: campaign.id } }] })).rejects.toMatchObject({
      status: 422,
      issues: [expect.objectContaining({ path: 'streams.0.action.campaignId' })],
    });
    expect((await waypost.campaigns.archive(campaign.id)).archivedAt).toEqual(expect.any(String));
    expect((await waypost.landers.archive(lander.id)).archivedAt).toEqual(expect.any(String));
  });

  it('refuses a stream with an unknown filter type before sending it', async () => {
    // @ts-expect-error an unknown filter type is refused by the types and, for plain JavaScript callers, by the schema
    const call = waypost.campaigns.create({ name: 'Bad', streams: [{ name: 'S', filters: [{ type: 'carrier', values: ['x'] }], action: { type: 'not_found' } }] });
    await expect(call).rejects.toBeInstanceOf(WaypostValidationError);
  });
});
