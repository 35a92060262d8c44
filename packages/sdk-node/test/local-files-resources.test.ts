import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { WaypostValidationError } from '../src/index.js';
import { client, mockWaypost, url } from './helpers.js';

const mock = mockWaypost();
const listing = {
  id: 'arc_1',
  files: 1,
  bytes: 5,
  url: 'https://waypost.test/l/lnd_1/',
  uploadedAt: '2026-11-01T10:00:00.000Z',
  fileList: [{ path: 'index.html', bytes: 5, contentType: 'text/html; charset=utf-8', expandsMacros: true }],
};
const keywordSet = {
  id: 'kws_1',
  name: 'Insurance',
  mode: 'weighted',
  keywords: [{ text: 'car insurance', weight: 100, active: true }],
  notes: null,
  workspaceId: 'ws_first',
  archivedAt: null,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
};

describe('archive methods', () => {
  const ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, 1, 2, 3]);

  it.each([
    ['landers', '/v1/landers/lnd_1/archive'],
    ['offers', '/v1/offers/off_1/archive'],
  ] as const)('%s.uploadArchive PUTs the bytes as they are, as application/zip, and reads the listing', async (resource, path) => {
    mock.server.use(http.put(url(path), () => HttpResponse.json(listing)));
    const id = resource === 'landers' ? 'lnd_1' : 'off_1';
    await expect(client()[resource].uploadArchive(id, ZIP)).resolves.toEqual(listing);
    const [request] = await mock.requests();
    expect(request!.method).toBe('PUT');
    expect(request!.headers.get('content-type')).toBe('application/zip');
    expect(request!.headers.get('idempotency-key')).toBeNull();
    expect(Buffer.from(request!.body, 'latin1').equals(Buffer.from(ZIP))).toBe(true);
  });

  it.each([
    ['landers', '/v1/landers/lnd_1/archive'],
    ['offers', '/v1/offers/off_1/archive'],
  ] as const)('%s.retrieveArchive and deleteArchive call their endpoints', async (resource, path) => {
    mock.server.use(
      http.get(url(path), () => HttpResponse.json(listing)),
      http.delete(url(path), () => new HttpResponse(null, { status: 204 })),
    );
    const id = resource === 'landers' ? 'lnd_1' : 'off_1';
    await expect(client()[resource].retrieveArchive(id)).resolves.toEqual(listing);
    await expect(client()[resource].deleteArchive(id)).resolves.toBeUndefined();
    expect((await mock.requests()).map((request) => `${request.method} ${request.url.pathname}`)).toEqual([`GET ${path}`, `DELETE ${path}`]);
  });

  it('turns a refused archive into a WaypostValidationError with its code', async () => {
    const error = { code: 'archive_link', message: 'the entry "passwd" is a symbolic link', issues: [{ path: 'body', code: 'archive_link', message: 'x' }] };
    mock.server.use(http.put(url('/v1/landers/lnd_1/archive'), () => HttpResponse.json({ error }, { status: 422 })));
    const call = client().landers.uploadArchive('lnd_1', ZIP);
    await expect(call).rejects.toBeInstanceOf(WaypostValidationError);
    await expect(call).rejects.toMatchObject({ code: 'archive_link' });
  });
});

describe('keyword sets', () => {
  it('calls every endpoint with validated bodies', async () => {
    mock.server.use(
      http.get(url('/v1/keyword-sets'), () => HttpResponse.json({ data: [keywordSet], nextCursor: null })),
      http.post(url('/v1/keyword-sets'), () => HttpResponse.json(keywordSet, { status: 201 })),
      http.all(url('/v1/keyword-sets/kws_1'), () => HttpResponse.json(keywordSet)),
    );
    const waypost = client();
    expect((await waypost.keywordSets.list({ q: 'ins' })).data).toEqual([keywordSet]);
    await waypost.keywordSets.create({ name: 'Insurance', keywords: [{ text: 'car insurance' }] });
    await waypost.keywordSets.retrieve('kws_1');
    await waypost.keywordSets.replace('kws_1', { name: 'Insurance', mode: 'sequential' });
    await waypost.keywordSets.update('kws_1', { keywords: [{ text: 'home', weight: 5, active: false }] });
    await waypost.keywordSets.archive('kws_1');
    const requests = await mock.requests();
    expect(requests.map((request) => `${request.method} ${request.url.pathname}${request.url.search}`)).toEqual([
      'GET /v1/keyword-sets?limit=50&q=ins',
      'POST /v1/keyword-sets',
      'GET /v1/keyword-sets/kws_1',
      'PUT /v1/keyword-sets/kws_1',
      'PATCH /v1/keyword-sets/kws_1',
      'DELETE /v1/keyword-sets/kws_1',
    ]);
    expect(JSON.parse(requests[1]!.body)).toEqual({ name: 'Insurance', mode: 'weighted', keywords: [{ text: 'car insurance', weight: 100, active: true }] });
    expect(JSON.parse(requests[3]!.body)).toEqual({ name: 'Insurance', mode: 'sequential', keywords: [] });
    expect(JSON.parse(requests[4]!.body)).toEqual({ keywords: [{ text: 'home', weight: 5, active: false }] });
  });

  it('refuses a keyword listed twice before sending anything', async () => {
    const call = client().keywordSets.create({ name: 'Twice', keywords: [{ text: 'a' }, { text: 'A' }] });
    await expect(call).rejects.toBeInstanceOf(WaypostValidationError);
    expect(await mock.requests()).toHaveLength(0);
  });
});
