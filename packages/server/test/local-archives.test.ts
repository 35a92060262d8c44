import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_LIMITS } from '../src/engine/local-archives.js';
import { createCampaign, visit } from './support/campaigns.js';
import { backends, DESKTOP_BROWSER, spawnSharedServers, startTestServer, type TestServer } from './support/harness.js';
import { buildZip, type ZipEntry } from './support/zip.js';

const PAGE = `<!doctype html><html><head><link rel="stylesheet" href="style.css"><style>body { margin: 0 }</style>
<script>function go() { return {status: 1}; }</script></head>
<body><a id="cta" href="{click_url}">Go</a><a id="second" href="%7Bclick_url:2%7D">Two</a>
<span id="click">{click_id}</span><span id="sub">{sub1}</span><span id="country">{country_code}</span><span id="unknown">{not_a_macro}</span></body></html>`;
const CSS = 'body { color: #123456; }\n/* {click_id} stays as it is outside pages */\n';
const PNG = randomBytes(3000);

/** A page's bytes as the test archive holds them, by path. */
function files(version: string): ZipEntry[] {
  return [
    { name: 'index.html', content: PAGE.replace('<body>', `<body data-version="${version}">`) },
    { name: 'style.css', content: CSS },
    { name: 'img/hero.png', content: PNG, method: 'store' },
    { name: 'sub/page.html', content: `<p>{offer_id}</p>` },
    { name: 'notes.bin', content: 'raw bytes' },
  ];
}

/** GET with the path sent exactly as written (fetch would resolve `..` and `%2e%2e` before sending). */
function rawGet(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(backends())('local landers and offers on %s', (backend) => {
  let server: TestServer;
  let offer: { id: string };
  let lander: { id: string };

  const upload = (kind: 'landers' | 'offers', id: string, zip: Buffer, type = 'application/zip') =>
    server.json(`/v1/${kind}/${id}/archive`, { method: 'PUT', body: zip, headers: { 'content-type': type } });
  const page = (path: string, headers: Record<string, string> = {}) => server.request(path, { key: null, headers: { 'user-agent': DESKTOP_BROWSER, ...headers } });

  beforeAll(async () => {
    server = await startTestServer(backend);
    offer = await server.createOffer({ url: 'https://shop.example.com/buy?cid={click_id}' });
    lander = (await server.json('/v1/landers', { method: 'POST', json: { name: 'Local lander', offers: 2 } })).body;
  });
  afterAll(() => server.close());

  it('stores an uploaded lander archive and answers with its file list', async () => {
    const response = await upload('landers', lander.id, buildZip(files('one')));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ files: 5, url: `http://track.waypost.test/l/${lander.id}/` });
    expect(response.body.fileList).toEqual([
      { path: 'img/hero.png', bytes: PNG.length, contentType: 'image/png', expandsMacros: false },
      { path: 'index.html', bytes: expect.any(Number), contentType: 'text/html; charset=utf-8', expandsMacros: true },
      { path: 'notes.bin', bytes: 9, contentType: 'application/octet-stream', expandsMacros: false },
      { path: 'style.css', bytes: CSS.length, contentType: 'text/css; charset=utf-8', expandsMacros: false },
      { path: 'sub/page.html', bytes: 17, contentType: 'text/html; charset=utf-8', expandsMacros: true },
    ]);
    expect((await server.json(`/v1/landers/${lander.id}`)).body.archive).toMatchObject({ id: response.body.id, files: 5 });
    expect((await server.json(`/v1/landers/${lander.id}/archive`)).body).toEqual(response.body);
    // Replacing or updating the lander keeps its archive, which its body never carries.
    const replaced = await server.json(`/v1/landers/${lander.id}`, { method: 'PUT', json: { name: 'Local lander', offers: 2 } });
    expect(replaced.body.archive?.id).toBe(response.body.id);
    expect((await server.json(`/v1/landers/${lander.id}`, { method: 'PATCH', json: { notes: 'n' } })).body.archive?.id).toBe(response.body.id);
    expect((await server.json(`/v1/landers/${lander.id}`)).body.archive?.id).toBe(response.body.id);
    const audit = await server.json(`/v1/audit?recordId=${lander.id}`);
    expect(audit.body.data.map((entry: { action: string }) => entry.action)).toContain('archive_upload');
  });

  it('serves the page to an unknown visitor with empty macros and a click URL without cid, and other braces untouched', async () => {
    const response = await page(`/l/${lander.id}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('href="http://track.waypost.test/click/1"');
    expect(html).toContain('href="http://track.waypost.test/click/2"');
    expect(html).toContain('<span id="click"></span>');
    expect(html).toContain('<span id="unknown">{not_a_macro}</span>');
    expect(html).toContain('<style>body { margin: 0 }</style>');
    expect(html).toContain('return {status: 1};');
  });

  it('sends the bare /l/ID to the folder, keeping the query', async () => {
    const response = await page(`/l/${lander.id}?cid=abc`);
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(`/l/${lander.id}/?cid=abc`);
  });

  it('routes a campaign visit to the local lander, expands the page for that click, and its click URL leads to the offer', async () => {
    // The lander has two offer slots, so the stream lists two offers; slot 1 is `offer`.
    const second = await server.createOffer();
    const campaign = await createCampaign(server, {
      streams: [{ name: 'All', action: { type: 'flow', landers: [{ landerId: lander.id, weight: 100 }], offers: [{ offerId: offer.id, weight: 100 }, { offerId: second.id, weight: 100 }] } }],
    });
    const visited = await visit(server, campaign.id, { query: 'sub1=zone%3C7%3E' });
    expect(visited.status).toBe(302);
    expect(visited.location).toBe(`http://track.waypost.test/l/${lander.id}/?cid=${visited.clickId}`);

    // The cid in the query identifies the visit; so does the cookie alone.
    for (const request of [page(`/l/${lander.id}/?cid=${visited.clickId}`), page(`/l/${lander.id}/`, { cookie: `waypost_cid=${visited.clickId}` })]) {
      const html = await (await request).text();
      expect(html).toContain(`<a id="cta" href="http://track.waypost.test/click/1?cid=${visited.clickId}">`);
      expect(html).toContain(`<span id="click">${visited.clickId}</span>`);
      // Values are HTML-escaped.
      expect(html).toContain('<span id="sub">zone&lt;7&gt;</span>');
    }
    const clicked = await server.request(`/click/1?cid=${visited.clickId}`, { key: null, headers: { 'user-agent': DESKTOP_BROWSER } });
    expect(clicked.status).toBe(302);
    expect(clicked.headers.get('location')).toBe(`https://shop.example.com/buy?cid=${visited.clickId}`);
  });

  it('serves every other file byte for byte, with its type, nosniff, the CSP, an ETag and a 304 on If-None-Match', async () => {
    const css = await page(`/l/${lander.id}/style.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).toBe(CSS);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
    expect(css.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'");
    expect(css.headers.get('content-security-policy')).toMatch(/sandbox allow-scripts[^;]*$/);
    expect(css.headers.get('content-security-policy')).not.toContain('allow-same-origin');
    expect(css.headers.get('cache-control')).toBe('no-cache');
    // The sandboxed page's origin is opaque: its own fetch() of its files is cross-origin.
    expect(css.headers.get('access-control-allow-origin')).toBe('*');

    const png = await page(`/l/${lander.id}/img/hero.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).equals(PNG)).toBe(true);
    const etag = png.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await page(`/l/${lander.id}/img/hero.png`, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await page(`/l/${lander.id}/img/hero.png`, { 'if-none-match': '"other"' })).status).toBe(200);

    const download = await page(`/l/${lander.id}/notes.bin`);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename=notes.bin');

    const html = await page(`/l/${lander.id}/sub/page.html`);
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(html.headers.get('etag')).toBeNull();
    expect(html.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 404 to paths that leave the archive and to files it does not have', async () => {
    for (const path of [`/l/${lander.id}/..%2F..%2Fetc%2Fpasswd`, `/l/${lander.id}/%2e%2e/index.html`, `/l/${lander.id}/img/..%5Cindex.html`, `/l/${lander.id}/missing.css`, `/l/lnd_unknown/`]) {
      expect(await rawGet(server.url, path), path).toBe(404);
    }
  });

  it('sends clicks on an offer with an archive to its local page, which knows the click', async () => {
    const local = await server.createOffer<{ id: string }>({ url: 'https://remote.example.com/?c={click_id}' });
    const stored = await upload('offers', local.id, buildZip([{ name: 'index.html', content: '<p id="o">{offer_id}/{click_id}/{sub2}</p>' }]));
    expect(stored.status).toBe(200);
    expect((await server.json(`/v1/offers/${local.id}`)).body.archive).toMatchObject({ url: `http://track.waypost.test/o/${local.id}/` });
    const click = await server.click(local.id, { query: 'sub2=abc' });
    expect(click.location).toBe(`http://track.waypost.test/o/${local.id}/?cid=${click.clickId}`);
    const html = await (await page(`/o/${local.id}/`, { cookie: `waypost_cid=${click.clickId}` })).text();
    expect(html).toBe(`<p id="o">${local.id}/${click.clickId}/abc</p>`);

    // Without its archive the offer goes back to its own URL.
    expect((await server.request(`/v1/offers/${local.id}/archive`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.click(local.id)).location).toMatch(/^https:\/\/remote\.example\.com\//);
    expect((await page(`/o/${local.id}/`)).status).toBe(404);
    expect((await server.json(`/v1/offers/${local.id}/archive`)).status).toBe(404);
  });

  it("keeps a page's own charset and bytes, writing values as character references", async () => {
    const cp1251 = (await server.json('/v1/landers', { method: 'POST', json: { name: 'Cyrillic' } })).body;
    // "Привет" in windows-1251, around a macro.
    const hello = Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]);
    const page = Buffer.concat([Buffer.from('<meta charset="windows-1251"><p>'), hello, Buffer.from(' {sub1}</p>')]);
    const stored = await upload('landers', cp1251.id, buildZip([{ name: 'index.html', content: page }]));
    expect(stored.body.fileList[0].contentType).toBe('text/html; charset=windows-1251');
    const campaign = await createCampaign(server, { streams: [{ name: 'All', action: { type: 'flow', landers: [{ landerId: cp1251.id, weight: 100 }], offers: [{ offerId: offer.id, weight: 100 }] } }] });
    const visited = await visit(server, campaign.id, { query: 'sub1=%C3%A9t%C3%A9' });
    const response = await server.request(`/l/${cp1251.id}/?cid=${visited.clickId}`, { key: null });
    expect(response.headers.get('content-type')).toBe('text/html; charset=windows-1251');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.equals(Buffer.concat([Buffer.from('<meta charset="windows-1251"><p>'), hello, Buffer.from(' &#233;t&#233;</p>')]))).toBe(true);
  });

  it('refuses a campaign that shows a lander with neither a URL nor an archive, and takes it once the archive is there', async () => {
    const empty = (await server.json('/v1/landers', { method: 'POST', json: { name: 'Empty' } })).body;
    const json = { name: 'Needs a page', streams: [{ name: 'All', action: { type: 'flow', landers: [{ landerId: empty.id }], offers: [{ offerId: offer.id }] } }] };
    const refused = await server.json('/v1/campaigns', { method: 'POST', json });
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues[0].path).toBe('streams.0.action.landers.0.landerId');
    expect((await upload('landers', empty.id, buildZip([{ name: 'index.html', content: 'page' }]))).status).toBe(200);
    expect((await server.json('/v1/campaigns', { method: 'POST', json })).status).toBe(201);
    // Deleting the archive would leave that campaign's lander empty.
    const kept = await server.json(`/v1/landers/${empty.id}/archive`, { method: 'DELETE' });
    expect(kept.status).toBe(409);
    expect(await (await page(`/l/${empty.id}/`)).text()).toBe('page');
  });

  it('unwraps an archive whose files sit in one top-level folder', async () => {
    const wrapped = (await server.json('/v1/landers', { method: 'POST', json: { name: 'Wrapped' } })).body;
    const response = await upload('landers', wrapped.id, buildZip([{ name: 'site/' }, { name: 'site/index.html', content: 'wrapped' }, { name: 'site/a.css', content: 'a' }, { name: '__MACOSX/site/._index.html', content: 'x' }]));
    expect(response.status).toBe(200);
    expect(response.body.fileList.map((file: { path: string }) => file.path)).toEqual(['a.css', 'index.html']);
    expect(await (await page(`/l/${wrapped.id}/`)).text()).toBe('wrapped');
  });

  describe('refusals', () => {
    // Four letters at random: about 4 : 1 packed, far from the ratio limit, so that only the unpacked size is at fault.
    const letters = (bytes: number) => {
      const buffer = randomBytes(bytes);
      for (let i = 0; i < buffer.length; i++) buffer[i] = 97 + (buffer[i]! & 3);
      return buffer;
    };
    const cases: [string, () => Buffer, string][] = [
      ['a zip slip with "../"', () => buildZip([{ name: 'index.html', content: 'x' }, { name: '../evil.html', content: 'x' }]), 'archive_path_outside_root'],
      ['an absolute path', () => buildZip([{ name: 'index.html', content: 'x' }, { name: '/etc/evil', content: 'x' }]), 'archive_path_outside_root'],
      ['a backslash path', () => buildZip([{ name: 'index.html', content: 'x' }, { name: '..\\evil.html', content: 'x' }]), 'archive_path_outside_root'],
      ['a drive letter', () => buildZip([{ name: 'index.html', content: 'x' }, { name: 'C:/evil.html', content: 'x' }]), 'archive_path_outside_root'],
      ['a symbolic link', () => buildZip([{ name: 'index.html', content: 'x' }, { name: 'passwd', content: '/etc/passwd', mode: 0o120777 }]), 'archive_link'],
      ['a device file', () => buildZip([{ name: 'index.html', content: 'x' }, { name: 'null', content: '', mode: 0o020666 }]), 'archive_link'],
      ['a bomb by compression ratio', () => buildZip([{ name: 'index.html', content: 'x' }, { name: 'zeros.txt', content: Buffer.alloc(4 * 1024 * 1024) }]), 'archive_compression_ratio'],
      ['more than 2,000 files', () => buildZip([{ name: 'index.html', content: 'x' }, ...Array.from({ length: ARCHIVE_LIMITS.files }, (_, i) => ({ name: `f/${i}.txt`, content: String(i) }))]), 'archive_too_many_files'],
      ['more than 50 MB unpacked', () => buildZip([{ name: 'index.html', content: 'x' }, { name: 'a.txt', content: letters(26 * 1024 * 1024) }, { name: 'b.txt', content: letters(26 * 1024 * 1024) }]), 'archive_too_large_unpacked'],
      ['no index.html', () => buildZip([{ name: 'home.html', content: 'x' }]), 'archive_no_index'],
      ['a body that is no zip', () => Buffer.from('not a zip at all'), 'archive_invalid'],
    ];
    it.each(cases)('refuses %s with 422, storing nothing and serving the previous archive', { timeout: 120_000 }, async (_name, build, code) => {
      const before = (await server.json(`/v1/landers/${lander.id}`)).body.archive;
      const response = await upload('landers', lander.id, build());
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe(code);
      expect((await server.json(`/v1/landers/${lander.id}`)).body.archive).toEqual(before);
      expect(await (await page(`/l/${lander.id}/`)).text()).toContain('data-version="one"');
    });

    it('refuses an entry whose header understates its size, counting the bytes it really inflates to', async () => {
      const zip = buildZip([{ name: 'index.html', content: 'x' }, { name: 'liar.txt', content: 'y'.repeat(5000), claimedSize: 10 }]);
      const response = await upload('landers', lander.id, zip);
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('archive_invalid');
    });

    it('refuses a body over 20 MB with 413 and another type than a zip with 415', async () => {
      const big = await upload('landers', lander.id, randomBytes(ARCHIVE_LIMITS.compressedBytes + 1));
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe('archive_too_large');
      const json = await upload('landers', lander.id, buildZip(files('x')), 'text/plain');
      expect(json.status).toBe(415);
      expect(await (await page(`/l/${lander.id}/`)).text()).toContain('data-version="one"');
    });
  });

  it('replaces an archive atomically: under concurrent requests every answer is wholly one version, never missing', async () => {
    const swapped = (await server.json('/v1/landers', { method: 'POST', json: { name: 'Swapped' } })).body;
    const version = (name: string): ZipEntry[] => [
      { name: 'index.html', content: `<p>${name}</p>` },
      { name: 'app.js', content: `const version = "${name}";\n${'//'.padEnd(200_000, name)}` },
    ];
    const zips = { a: buildZip(version('a')), b: buildZip(version('b')) };
    const bodies = new Map(['a', 'b'].flatMap((name) => version(name).map((entry) => [`${entry.name}:${String(entry.content)}`, name] as const)));
    expect((await upload('landers', swapped.id, zips.a)).status).toBe(200);

    let uploading = true;
    const uploads = (async () => {
      for (let round = 0; round < 6; round++) expect((await upload('landers', swapped.id, round % 2 === 0 ? zips.b : zips.a)).status).toBe(200);
      uploading = false;
    })();
    const seen: string[] = [];
    const reads = (async () => {
      while (uploading) {
        const answers = await Promise.all(['index.html', 'app.js'].map(async (file) => {
          const response = await page(`/l/${swapped.id}/${file}`);
          expect(response.status).toBe(200);
          const text = await response.text();
          const from = bodies.get(`${file}:${text}`);
          expect(from, `${file} is exactly one version's`).toBeDefined();
          return from!;
        }));
        seen.push(...answers);
      }
    })();
    await Promise.all([uploads, reads]);
    expect(seen.length).toBeGreaterThan(0);
    // Only the last archive's rows are left.
    const rows = await server.store.localArchives.files((await server.json(`/v1/landers/${swapped.id}`)).body.archive.id);
    expect(rows.map((row) => row.path)).toEqual(['app.js', 'index.html']);
  });
});

/**
 * Real server processes sharing one database (two on PostgreSQL): an archive is in the database, so every process
 * serves what any of them stored, and a sequential keyword set's position is one counter for all of them.
 */
describe.each(backends())('local files and keyword sets across server processes on %s', (backend) => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('serves an archive uploaded through one process from every process, and shares the keyword sequence', { timeout: 120_000 }, async () => {
    const { urls, adminKey, children: started } = await spawnSharedServers(backend);
    children.push(...started);
    const api = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${urls[0]}${path}`, { ...init, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', ...init.headers } });
      return (await response.json()) as any;
    };
    const lander = await api('/v1/landers', { method: 'POST', body: JSON.stringify({ name: 'Shared' }) });
    const zip = buildZip([{ name: 'index.html', content: '<p>shared</p>' }, { name: 'a.css', content: 'p{}' }]);
    await api(`/v1/landers/${lander.id}/archive`, { method: 'PUT', body: zip, headers: { 'content-type': 'application/zip' } });
    for (const url of urls) {
      expect(await (await fetch(`${url}/l/${lander.id}/`)).text()).toBe('<p>shared</p>');
      expect(await (await fetch(`${url}/l/${lander.id}/a.css`)).text()).toBe('p{}');
    }

    const set = await api('/v1/keyword-sets', { method: 'POST', body: JSON.stringify({ name: 'Sequence', mode: 'sequential', keywords: [{ text: 'k1' }, { text: 'k2' }, { text: 'k3' }] }) });
    const offer = await api('/v1/offers', { method: 'POST', body: JSON.stringify({ name: 'Search', url: 'https://search.example.com/?q={keyword}', payout: { model: 'cpa', amount: '1' }, keywords: { setId: set.id } }) });
    const drawn: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${urls[i % urls.length]}/c/${offer.id}`, { redirect: 'manual', headers: { 'user-agent': DESKTOP_BROWSER } });
      drawn.push(new URL(response.headers.get('location')!).searchParams.get('q')!);
    }
    expect(drawn).toEqual(['k1', 'k2', 'k3', 'k1', 'k2', 'k3']);
  });
});
