import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, RouterProvider } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import type { Offer } from '@waypost/schema';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import { createConsoleRouter } from '../src/router.js';
import { SESSION_KEY, type Session } from '../src/session.js';

/** One request the console made, as the fake API saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

type Reply = { status?: number; body?: unknown; headers?: Record<string, string> };
type Handler = (request: SeenRequest) => Reply | Promise<Reply>;

/**
 * Stands in for the server at the fetch boundary: `routes` maps `METHOD /path` to a reply; anything else is the API's
 * 404. Component tests only; the Playwright specs drive the real server.
 */
export function fakeApi(routes: Record<string, Handler | Reply>) {
  const requests: SeenRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const request: SeenRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const route = routes[`${method} ${url.pathname}`];
    const reply: Reply = route === undefined ? { status: 404, body: { error: { code: 'not_found', message: 'not found' } } } : typeof route === 'function' ? await route(request) : route;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { 'Content-Type': 'application/json', ...reply.headers },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return { requests, fetch };
}

export const OWNER_SESSION: Session = {
  user: { id: 'usr_owner', email: 'owner@example.com', name: 'Owner', role: 'owner', publisherId: null },
  workspaces: [{ id: 'ws_default', name: 'Default', visibility: 'public' }],
  csrfToken: 'csrf-token-1',
  expiresAt: '2026-12-31T00:00:00.000Z',
};

export function newQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

/** Renders a component inside the providers the console gives every screen, signed in as `session`. */
export function renderWithProviders(ui: ReactNode, session: Session = OWNER_SESSION) {
  const queryClient = newQueryClient();
  queryClient.setQueryData(SESSION_KEY, session);
  return { queryClient, ...render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>) };
}

/** The whole console at `path` (such as `/app/offers?status=active`), with its router on a memory history. */
export function renderConsole(path: string) {
  const queryClient = newQueryClient();
  const history = createMemoryHistory({ initialEntries: [path] });
  const router = createConsoleRouter(queryClient, history);
  const view = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { router, history, queryClient, ...view };
}

export function offer(fields: Partial<Offer> = {}): Offer {
  return {
    id: 'off_1',
    name: 'Solar leads',
    url: 'https://shop.example/?c={click_id}',
    status: 'active',
    expiresAt: null,
    leadType: 'Solar',
    currency: 'USD',
    payout: { model: 'cpa', mode: 'fixed', amount: '10.00' },
    revenue: null,
    duplicates: 'ignore',
    approval: { defaultStatus: 'approved' },
    cap: null,
    affiliateNetworkId: null,
    appendClickId: false,
    staticUrl: null,
    countries: [],
    group: null,
    tags: [],
    notes: null,
    directTracking: false,
    allowedOrigins: [],
    postbackIpAllowlist: [],
    postbackToken: 'tok',
    email: null,
    visibility: 'public',
    publisherIds: [],
    archivedAt: null,
    createdAt: '2026-11-02T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    ...fields,
  } as Offer;
}
