import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, createApp, listen, loadConfig, openStore, type Store, systemClock } from '@waypost/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip } from '../../server/test/support/zip.js';
import { Waypost, WaypostNotFoundError, WaypostValidationError } from '../src/index.js';

// Archives and keyword sets through the SDK against the real reference server on port 0, over a real SQLite file.
describe('the Node SDK’s local files and keyword sets against the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-sdk-local-'));
  let store: Store;
  let server: Server;
  let waypost: Waypost;

  beforeAll(async () => {
    const config = loadConfig({ WAYPOST_DATABASE_URL: `file:${join(dir, 'sdk.db')}` });
    store = openStore(config.databaseUrl);
    await store.migrate();
    server = await listen(createApp({ store, config, log: () => {} }), 0, '127.0.0.1');
    const { key } = await createApiKey({ store, clock: systemClock }, { role: 'admin' });
    waypost = new Waypost({ apiKey: key, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  afterAll(async () => {
    server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads, lists and deletes a lander archive and an offer archive, and surfaces a refusal as a WaypostValidationError', async () => {
    const lander = await waypost.landers.create({ name: 'Local quiz' });
    const listing = await waypost.landers.uploadArchive(lander.id, buildZip([{ name: 'index.html', content: '<a href="{click_url}">Go</a>' }, { name: 'app.css', content: 'a{}' }]));
    expect(listing.fileList.map((file) => file.path)).toEqual(['app.css', 'index.html']);
    expect((await waypost.landers.retrieve(lander.id)).archive?.id).toBe(listing.id);
    expect((await waypost.landers.retrieveArchive(lander.id)).files).toBe(2);
    const refused = waypost.landers.uploadArchive(lander.id, buildZip([{ name: '../escape.html', content: 'x' }]));
    await expect(refused).rejects.toBeInstanceOf(WaypostValidationError);
    await expect(refused).rejects.toMatchObject({ code: 'archive_path_outside_root' });
    await waypost.landers.deleteArchive(lander.id);
    await expect(waypost.landers.retrieveArchive(lander.id)).rejects.toBeInstanceOf(WaypostNotFoundError);

    const offer = await waypost.offers.create({ name: 'Local offer', url: 'https://offer.example.com/', payout: { model: 'cpa', amount: '1.00' } });
    const offerListing = await waypost.offers.uploadArchive(offer.id, buildZip([{ name: 'index.html', content: '{click_id}' }]));
    expect(await waypost.offers.retrieve(offer.id)).toMatchObject({ archive: { id: offerListing.id, url: `http://localhost:8787/o/${offer.id}/` } });
  });

  it('creates, updates, lists and archives a keyword set, and an offer draws from it', async () => {
    const set = await waypost.keywordSets.create({ name: 'Insurance', mode: 'sequential', keywords: [{ text: 'car' }, { text: 'home' }] });
    expect(set.keywords).toEqual([{ text: 'car', weight: 100, active: true }, { text: 'home', weight: 100, active: true }]);
    const updated = await waypost.keywordSets.update(set.id, { keywords: [{ text: 'car', active: false }, { text: 'home' }] });
    expect(updated.keywords[0]!.active).toBe(false);
    const offer = await waypost.offers.create({ name: 'Search offer', url: 'https://search.example.com/?q={keyword}', payout: { model: 'cpa', amount: '1.00' }, keywords: { setId: set.id } });
    expect(offer.keywords).toEqual({ setId: set.id, slots: 1 });
    expect((await waypost.keywordSets.list()).data.map((entry) => entry.id)).toContain(set.id);
    expect((await waypost.keywordSets.archive(set.id)).archivedAt).not.toBeNull();
  });
});
