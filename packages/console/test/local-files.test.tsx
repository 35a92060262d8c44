import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ArchiveListing } from '@waypost/schema';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../src/api.js';
import { ArchivePanel } from '../src/screens/archive-upload.js';
import { OfferForm } from '../src/screens/offer-form.js';
import { fakeApi, offer, OWNER_SESSION, renderConsole, renderWithProviders } from './support.js';

// The screens load as chunks of their own: the first render waits for an import, slower on a busy machine.
configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 30_000 });

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

const page = (data: unknown[]) => ({ body: { data, nextCursor: null } });

/** Stands in for XMLHttpRequest at the boundary: the test drives its upload progress and its answer. */
class FakeXhr extends EventTarget {
  static sent: FakeXhr[] = [];
  readonly upload = new EventTarget();
  readonly headers: Record<string, string> = {};
  method = '';
  url = '';
  body: unknown;
  status = 0;
  responseText = '';
  withCredentials = false;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.sent.push(this);
  }
  progress(loaded: number, total: number) {
    this.upload.dispatchEvent(Object.assign(new Event('progress'), { lengthComputable: true, loaded, total }));
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.dispatchEvent(new Event('load'));
  }
}

function stubXhr() {
  FakeXhr.sent = [];
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
}

const listing: ArchiveListing = {
  id: 'arc_1',
  files: 2,
  bytes: 2048,
  url: 'http://console.test/l/lnd_1/',
  uploadedAt: '2026-11-02T10:00:00.000Z',
  fileList: [
    { path: 'index.html', bytes: 1024, contentType: 'text/html; charset=utf-8', expandsMacros: true },
    { path: 'img/hero.png', bytes: 1024, contentType: 'image/png', expandsMacros: false },
  ],
};

async function chooseZip() {
  const file = new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04])], 'lander.zip', { type: 'application/zip' });
  await userEvent.upload(screen.getByLabelText('Archive (zip)'), file);
  await userEvent.click(screen.getByRole('button', { name: 'Upload archive' }));
  await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
  return { file, xhr: FakeXhr.sent[0]! };
}

describe('the archive upload', () => {
  it('shows the upload progress and the server’s refusal in words, with the CSRF header sent', async () => {
    fakeApi({});
    stubXhr();
    setCsrfToken('csrf-token-1');
    renderWithProviders(<ArchivePanel owner={{ kind: 'lander', id: 'lnd_1', archive: null }} />);
    const { file, xhr } = await chooseZip();

    expect(xhr.method).toBe('PUT');
    expect(new URL(xhr.url).pathname).toBe('/v1/landers/lnd_1/archive');
    expect(xhr.headers['Content-Type']).toBe('application/zip');
    expect(xhr.headers['X-CSRF-Token']).toBe('csrf-token-1');
    expect(xhr.body).toBe(file);

    xhr.progress(40, 100);
    await waitFor(() => expect((screen.getByRole('progressbar', { name: 'Upload progress' }) as HTMLProgressElement).value).toBe(0.4));

    xhr.answer(422, { error: { code: 'invalid_archive', message: 'the archive has no index.html at its root' } });
    expect((await screen.findByRole('alert')).textContent).toContain('the archive has no index.html at its root');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('table', { name: 'Files' })).toBeNull();
  });

  it('lists the uploaded files with a preview link that opens in a new tab, and deletes the archive', async () => {
    const { requests } = fakeApi({ 'DELETE /v1/offers/off_1/archive': { status: 204 } });
    stubXhr();
    renderWithProviders(<ArchivePanel owner={{ kind: 'offer', id: 'off_1', archive: null }} />);
    const { xhr } = await chooseZip();
    expect(new URL(xhr.url).pathname).toBe('/v1/offers/off_1/archive');
    xhr.answer(200, { ...listing, url: 'http://console.test/o/off_1/' });

    const table = await screen.findByRole('table', { name: 'Files' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('img/hero.png')).toBeTruthy();
    const preview = screen.getByRole('link', { name: 'Preview' });
    expect(preview.getAttribute('href')).toBe('http://console.test/o/off_1/');
    expect(preview.getAttribute('target')).toBe('_blank');

    await userEvent.click(screen.getByRole('button', { name: 'Delete archive' }));
    await userEvent.click(within(screen.getByRole('group', { name: 'Delete the archive?' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('table', { name: 'Files' })).toBeNull());
    expect(requests.some((request) => request.method === 'DELETE' && request.path === '/v1/offers/off_1/archive')).toBe(true);
  });

  it('loads the file list of an archive already uploaded', async () => {
    fakeApi({ 'GET /v1/landers/lnd_1/archive': { body: listing } });
    renderWithProviders(<ArchivePanel owner={{ kind: 'lander', id: 'lnd_1', archive: listing }} />);
    const table = await screen.findByRole('table', { name: 'Files' });
    expect(within(table).getByText('index.html')).toBeTruthy();
  });
});

describe('the keyword set editor', () => {
  it('turns a pasted list into rows and saves their weights and switches', async () => {
    const saved = { id: 'kws_1', name: 'Solar', mode: 'weighted', keywords: [], notes: null, workspaceId: 'ws_default', archivedAt: null, createdAt: '2026-11-02T10:00:00.000Z', updatedAt: '2026-11-02T10:00:00.000Z' };
    const { requests } = fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'GET /v1/keyword-sets': page([]),
      'POST /v1/keyword-sets': { status: 201, body: saved },
    });
    const { router } = renderConsole('/app/keyword-sets/new');
    await userEvent.type(await screen.findByLabelText('Name'), 'Solar');
    // A repeat in another case and a blank line are dropped: the server refuses a keyword listed twice.
    fireEvent.change(screen.getByLabelText('Keywords'), { target: { value: 'solar panels\ncheap solar\n\nSolar Panels\nsolar loans\n' } });
    await userEvent.click(screen.getByRole('button', { name: 'Add keywords' }));

    const rows = within(screen.getByRole('table', { name: 'Keyword list' })).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.querySelector('td')!.textContent)).toEqual(['solar panels', 'cheap solar', 'solar loans']);
    const weight = screen.getByLabelText('Weight of cheap solar');
    await userEvent.clear(weight);
    await userEvent.type(weight, '300');
    await userEvent.click(screen.getByLabelText('solar loans active'));
    // Pasting again adds only what is new.
    fireEvent.change(screen.getByLabelText('Keywords'), { target: { value: 'cheap solar\nsolar grants' } });
    await userEvent.click(screen.getByRole('button', { name: 'Add keywords' }));
    await userEvent.click(screen.getByRole('button', { name: 'Remove solar panels' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/keyword-sets'));
    const post = requests.find((request) => request.method === 'POST')!;
    expect(post.body).toEqual({
      name: 'Solar',
      mode: 'weighted',
      keywords: [
        { text: 'cheap solar', weight: 300, active: true },
        { text: 'solar loans', weight: 100, active: false },
        { text: 'solar grants', weight: 100, active: true },
      ],
      notes: null,
    });
  });

  it('shows the server’s refusal at the keyword it names', async () => {
    const { requests } = fakeApi({
      'GET /v1/session': { body: OWNER_SESSION },
      'POST /v1/keyword-sets': { status: 422, body: { error: { code: 'validation_error', message: 'invalid', issues: [{ path: 'keywords.0.text', code: 'custom', message: 'is reserved' }] } } },
    });
    renderConsole('/app/keyword-sets/new');
    await userEvent.type(await screen.findByLabelText('Name'), 'Solar');
    fireEvent.change(screen.getByLabelText('Keywords'), { target: { value: 'solar panels' } });
    await userEvent.click(screen.getByRole('button', { name: 'Add keywords' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    const row = (await screen.findByText('Is reserved')).closest('tr')!;
    expect(row.textContent).toContain('solar panels');
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('is reached from the offers list', async () => {
    fakeApi({ 'GET /v1/session': { body: OWNER_SESSION }, 'GET /v1/offers': page([]), 'GET /v1/keyword-sets': page([]) });
    const { router } = renderConsole('/app/offers');
    await userEvent.click(await screen.findByRole('link', { name: 'Keyword sets' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/keyword-sets'));
    expect(await screen.findByRole('heading', { name: 'Keyword sets' })).toBeTruthy();
  });
});

describe('the offer form’s keywords', () => {
  it('sends the chosen keyword set and its slots', async () => {
    const set = { id: 'kws_1', name: 'Solar', mode: 'weighted', keywords: [], notes: null, workspaceId: 'ws_default', archivedAt: null, createdAt: '2026-11-02T10:00:00.000Z', updatedAt: '2026-11-02T10:00:00.000Z' };
    const { requests } = fakeApi({
      'GET /v1/affiliate-networks': page([]),
      'GET /v1/keyword-sets': page([set]),
      'PATCH /v1/offers/off_1': { body: offer({ id: 'off_1' }) },
    });
    renderWithProviders(<OfferForm offer={offer({ id: 'off_1' })} onSaved={() => {}} />);
    await screen.findByRole('option', { name: 'Solar' });
    await userEvent.selectOptions(screen.getByLabelText('Keyword set'), 'kws_1');
    await userEvent.clear(screen.getByLabelText('Keyword slots'));
    await userEvent.type(screen.getByLabelText('Keyword slots'), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(requests.some((request) => request.method === 'PATCH')).toBe(true));
    expect((requests.find((request) => request.method === 'PATCH')!.body as { keywords: unknown }).keywords).toEqual({ setId: 'kws_1', slots: 3 });
  });
});
