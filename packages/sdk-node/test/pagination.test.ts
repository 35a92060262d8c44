import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { Page } from '../src/index.js';
import { client, fixtures, mockWaypost, url } from './helpers.js';

const mock = mockWaypost();

const publishers = Array.from({ length: 5 }, (_, index) => ({ ...fixtures.publisher, id: `pub_${index + 1}`, name: `Publisher ${index + 1}` }));

/** Serves `publishers` two at a time; the cursor is the id of the last item sent. */
function servePages() {
  mock.server.use(
    http.get(url('/v1/publishers'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      const limit = Number(query.get('limit'));
      const cursor = query.get('cursor');
      const start = cursor ? publishers.findIndex((publisher) => publisher.id === cursor) + 1 : 0;
      const data = publishers.slice(start, start + limit);
      const last = data.at(-1);
      return HttpResponse.json({ data, nextCursor: start + limit < publishers.length && last ? last.id : null });
    }),
  );
}

describe('auto-pagination', () => {
  it('iterates every item across pages with for await, keeping the filters', async () => {
    servePages();
    const names: string[] = [];
    for await (const publisher of client().publishers.list({ limit: 2, status: 'active' })) names.push(publisher.name);
    expect(names).toEqual(publishers.map((publisher) => publisher.name));
    const requests = await mock.requests();
    expect(requests.map((request) => Object.fromEntries(request.url.searchParams))).toEqual([
      { limit: '2', status: 'active' },
      { limit: '2', status: 'active', cursor: 'pub_2' },
      { limit: '2', status: 'active', cursor: 'pub_4' },
    ]);
  });

  it('fetches only the first page when awaited, and the next one on demand', async () => {
    servePages();
    const page = await client().publishers.list({ limit: 2 });
    expect(page).toBeInstanceOf(Page);
    expect(page.data.map((publisher) => publisher.id)).toEqual(['pub_1', 'pub_2']);
    expect(page.hasNextPage()).toBe(true);
    expect(await mock.requests()).toHaveLength(1);
    const next = await page.getNextPage();
    expect(next.data.map((publisher) => publisher.id)).toEqual(['pub_3', 'pub_4']);
    const last = await next.getNextPage();
    expect(last.hasNextPage()).toBe(false);
    await expect(last.getNextPage()).rejects.toThrow(RangeError);
  });

  it('iterates from an awaited page onwards', async () => {
    servePages();
    const page = await client().publishers.list({ limit: 2, cursor: 'pub_2' });
    const ids: string[] = [];
    for await (const publisher of page) ids.push(publisher.id);
    expect(ids).toEqual(['pub_3', 'pub_4', 'pub_5']);
  });

  it('stops fetching when the loop breaks', async () => {
    servePages();
    for await (const publisher of client().publishers.list({ limit: 2 })) {
      if (publisher.id === 'pub_2') break;
    }
    expect(await mock.requests()).toHaveLength(1);
  });

  it('refuses a page whose items do not match the schema', async () => {
    mock.server.use(http.get(url('/v1/clicks'), () => HttpResponse.json({ data: [{ id: 1 }], nextCursor: null })));
    await expect(client().clicks.list()).rejects.toMatchObject({ code: 'invalid_response' });
  });
});
