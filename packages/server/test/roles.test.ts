import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type SignedIn, startTestServer, type TestServer } from './support/harness.js';

type Role = 'owner' | 'admin' | 'member' | 'analyst' | 'publisher';
type Access = 'key' | 'workspace' | 'admin' | 'self';

/**
 * What each role may call, by the route's access level (README, Team accounts): `all` methods, only `read` (GET), or
 * `none`. Written out rather than derived from the server's own rule, so that a change to that rule fails here.
 */
const MAY: Record<Role, Record<Access, 'all' | 'read' | 'none'>> = {
  owner: { key: 'all', workspace: 'all', admin: 'all', self: 'all' },
  admin: { key: 'all', workspace: 'all', admin: 'all', self: 'all' },
  member: { key: 'all', workspace: 'all', admin: 'none', self: 'all' },
  analyst: { key: 'read', workspace: 'read', admin: 'none', self: 'all' },
  publisher: { key: 'all', workspace: 'none', admin: 'none', self: 'all' },
};
const ROLES = Object.keys(MAY) as Role[];

/** The refusal of the route's access check, as opposed to a handler's own 403 (such as a member on all-workspace totals). */
const ACCESS_REFUSAL = /^(an analyst may only read|this endpoint needs (an admin|a team) key or user)$/;

/** An id of the right shape that names nothing: a route that lets the caller in answers 404 for it, never 403. */
const MISSING_ID = 'zz_missing_record';

/** Routes that would end the caller's own session; they are walked last, once per role. */
const SIGN_OUTS = new Set(['DELETE /v1/session', 'DELETE /v1/sessions']);

const PASSWORD = 'correct horse battery staple';

interface Operation {
  method: string;
  path: string;
  access: Access | 'public';
  hasBody: boolean;
}

describe.each(backends())('roles against every route on %s', (backend) => {
  let server: TestServer;
  let operations: Operation[];
  const sessions = {} as Record<Role, SignedIn>;

  beforeAll(async () => {
    server = await startTestServer(backend);
    const publisher = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Role publisher' } })).body;
    for (const role of ROLES) {
      const email = `${role}@example.com`;
      await server.addUser({ email, role, ...(role === 'publisher' ? { publisherId: publisher.id } : {}) }, PASSWORD);
      sessions[role] = await server.signIn(email, PASSWORD);
    }
    const spec = (await server.json('/openapi.json', { key: null })).body;
    operations = Object.entries<Record<string, any>>(spec.paths).flatMap(([path, methods]) =>
      Object.entries<any>(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        access: op['x-waypost-access'],
        hasBody: op.requestBody !== undefined,
      })),
    );
  });
  afterAll(() => server.close());

  const send = (session: SignedIn, op: Operation) => {
    const url = op.path.replace(/\{\w+\}/g, MISSING_ID);
    return session.json(url, { method: op.method, ...(op.hasBody ? { json: {} } : {}) });
  };

  it('answers each role 403 on exactly the routes its access level refuses, with the session cookie', async () => {
    const walked = operations.filter((op) => op.access !== 'public' && !SIGN_OUTS.has(`${op.method} ${op.path}`));
    // The routes come from the OpenAPI document, which lists every route the server declares.
    for (const access of ['key', 'admin', 'self'] as const) expect(walked.filter((op) => op.access === access).length).toBeGreaterThan(access === 'self' ? 1 : 10);
    expect(walked.every((op) => op.access in MAY.owner)).toBe(true);
    for (const role of ROLES) {
      for (const op of walked) {
        const may = MAY[role][op.access as Access];
        const allowed = may === 'all' || (may === 'read' && op.method === 'GET');
        const { status, body } = await send(sessions[role], op);
        const refused = status === 403 && ACCESS_REFUSAL.test(body?.error?.message ?? '');
        const label = `${role} ${op.method} ${op.path}`;
        expect([label, refused ? 'refused' : 'let in']).toEqual([label, allowed ? 'let in' : 'refused']);
        // Nothing is ever refused for want of authentication: the session stays good throughout.
        expect([label, status]).not.toEqual([label, 401]);
      }
    }
  });

  it("shows a publisher user exactly what its publisher's key sees on every readable list", async () => {
    const publisherId = (await sessions.publisher.json('/v1/session')).body.user.publisherId;
    const key = (await server.json('/v1/api-keys', { method: 'POST', json: { role: 'publisher', publisherId } })).body.key;
    const other = (await server.json('/v1/publishers', { method: 'POST', json: { name: 'Someone else' } })).body;
    const offer = await server.createOffer({ visibility: 'private', publisherIds: [publisherId] });
    await server.createOffer({ visibility: 'private', publisherIds: [other.id] });
    await server.click(offer.id, { query: `pub=${publisherId}` });
    const lists = operations.filter((op) => op.access === 'key' && op.method === 'GET' && !op.path.includes('{'));
    expect(lists.length).toBeGreaterThan(5);
    for (const op of lists) {
      const url = `${op.path}?from=2026-01-01&to=2026-12-31`;
      const byKey = await server.json(url, { key });
      const byUser = await sessions.publisher.json(url);
      expect([url, byUser.status, byUser.body]).toEqual([url, byKey.status, byKey.body]);
    }
    // Not two empty answers: the publisher's own offer and click are there.
    expect((await sessions.publisher.json('/v1/offers')).body.data.map((o: { id: string }) => o.id)).toEqual([offer.id]);
    expect((await sessions.publisher.json('/v1/clicks')).body.data).toHaveLength(1);
  });

  it('lets every role read its own session and sign out, analysts included', async () => {
    for (const role of ROLES) {
      const session = sessions[role];
      expect((await session.json('/v1/session')).body.user.role).toBe(role);
      for (const op of operations.filter((candidate) => SIGN_OUTS.has(`${candidate.method} ${candidate.path}`))) {
        expect(op.access).toBe('self');
      }
      expect((await session.json('/v1/session', { method: 'DELETE' })).status).toBe(204);
      expect((await session.json('/v1/session')).status).toBe(401);
      const again = await server.signIn(`${role}@example.com`, PASSWORD);
      expect((await again.json('/v1/sessions', { method: 'DELETE' })).status).toBe(204);
      expect((await again.json('/v1/session')).status).toBe(401);
    }
  });
});
