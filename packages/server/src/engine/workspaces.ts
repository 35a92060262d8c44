import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import type { CampaignReferenceKind, Repositories, WorkspaceFilter } from '../storage/index.js';

/**
 * Who reaches which workspace (README, Workspaces). Owners, admins and unlimited admin keys reach every workspace;
 * members, analysts and keys limited to a workspace reach theirs and every public one. A record outside a caller's reach
 * does not exist for it (404), as another publisher's records do not exist for a publisher key.
 */
type Workspaces = Pick<Repositories, 'workspaces'>;

/** Whether `auth` reaches every workspace, so that nothing needs filtering or looking up. */
export function reachesAll(auth: Auth): boolean {
  return auth.role === 'admin' && auth.workspaces === 'all';
}

/**
 * The workspaces a limited caller's lists show, or undefined for a caller who reaches them all. Publishers are scoped
 * to their own publisher instead (routes/scope.ts), so they get undefined too.
 */
export function workspaceScope(auth: Auth): WorkspaceFilter | undefined {
  return auth.role === 'admin' && auth.workspaces !== 'all' ? { ids: auth.workspaces, public: true } : undefined;
}

/**
 * 403 for a caller limited to some workspaces on a route whose records span every workspace (a publisher's payments and
 * balance add up its payouts on every offer).
 */
export function assertReachesAll(auth: Auth, what: string): void {
  if (auth.role === 'admin' && auth.workspaces !== 'all') throw ApiError.forbidden(`${what} span every workspace: they need an owner, an admin or an admin key without a workspace`);
}

/** Whether `auth` reaches the workspace `workspaceId`. */
export async function canReach(store: Workspaces, auth: Auth, workspaceId: string): Promise<boolean> {
  if (auth.role !== 'admin') return false;
  if (auth.workspaces === 'all' || auth.workspaces.includes(workspaceId)) return true;
  return (await store.workspaces.get(workspaceId))?.visibility === 'public';
}

/** 404 naming `what` (such as `offer`) when the record's workspace is outside the caller's reach. */
export async function assertReach(store: Workspaces, auth: Auth, workspaceId: string, what: string): Promise<void> {
  if (!(await canReach(store, auth, workspaceId))) throw ApiError.notFound(what);
}

/**
 * 404 naming `what` when the offer a record belongs to (a click, a conversion, a promo code) is in a workspace outside
 * the caller's reach. Publishers are scoped by publisher instead, and pass.
 */
export async function assertOfferReach(store: Pick<Repositories, 'workspaces' | 'offers'>, auth: Auth, offerId: string, what: string): Promise<void> {
  if (auth.role !== 'admin' || auth.workspaces === 'all') return;
  const offer = await store.offers.get(offerId);
  if (!offer || !(await canReach(store, auth, offer.workspaceId))) throw ApiError.notFound(what);
}

/**
 * The workspace filter of a list: `?workspaceId=` narrows it to that workspace (404 when the caller does not reach it),
 * else the caller's reach.
 */
export async function listScope(store: Workspaces, auth: Auth, requested: string | undefined): Promise<WorkspaceFilter | undefined> {
  if (requested === undefined) return workspaceScope(auth);
  if (!(await canReach(store, auth, requested)) || !(await store.workspaces.get(requested))) throw ApiError.notFound('workspace');
  return { ids: [requested], public: false };
}

/**
 * The workspace a new record goes into: the one asked for, else the caller's first (the account's first for a caller
 * who reaches every workspace). 422 naming `workspaceId` when it does not exist or the caller does not reach it.
 */
export async function workspaceForCreate(store: Workspaces, auth: Auth, requested?: string): Promise<string> {
  if (requested !== undefined) {
    if (!(await canReach(store, auth, requested)) || !(await store.workspaces.get(requested))) {
      throw ApiError.field('workspaceId', `no workspace "${requested}"`);
    }
    return requested;
  }
  if (auth.role === 'admin' && auth.workspaces !== 'all' && auth.workspaces.length > 0) return auth.workspaces[0]!;
  const first = (await store.workspaces.first()).id;
  // A member of no workspace creates in the first one only while it is public.
  if (!(await canReach(store, auth, first))) throw ApiError.field('workspaceId', 'is required: name a workspace you belong to');
  return first;
}

/**
 * A record of workspace `from` may refer to records of the same workspace or of a public one, never to those of another
 * private workspace (README, Workspaces): 422 naming `field`.
 */
export async function assertReference(store: Workspaces, from: string, to: string, field: string): Promise<void> {
  if (from === to) return;
  const target = await store.workspaces.get(to);
  if (target?.visibility !== 'public') throw ApiError.field(field, 'belongs to another private workspace', 'cross_workspace_reference');
}

/**
 * The checks of a reference to another record: it exists and the caller reaches it (else 422 "no <what>", the same as
 * for a record that does not exist), and it is in the same workspace or a public one.
 */
export async function assertReferenceTo(
  store: Workspaces,
  auth: Auth,
  from: string,
  target: { workspaceId: string } | undefined,
  field: string,
  missing: string,
): Promise<void> {
  if (!target || !(await canReach(store, auth, target.workspaceId))) throw ApiError.field(field, missing);
  await assertReference(store, from, target.workspaceId, field);
}

/**
 * 422 naming `workspaceId` when a record moves into the private workspace `to` while a live campaign of another workspace
 * refers to it (as its traffic source, a stream's lander or offer, or the campaign a stream sends visits to): after the
 * move that campaign would refer into a private workspace it is not in (README, Workspaces). A move into a public
 * workspace keeps every reference allowed.
 */
export async function assertMovable(
  store: Pick<Repositories, 'workspaces' | 'campaigns'>,
  kind: CampaignReferenceKind,
  id: string,
  to: string,
  what: string,
): Promise<void> {
  if ((await store.workspaces.get(to))?.visibility === 'public') return;
  for (const campaignId of await store.campaigns.usedBy(kind, id, 1000)) {
    if (campaignId === id) continue;
    if ((await store.campaigns.get(campaignId))?.workspaceId !== to) {
      throw ApiError.field('workspaceId', `the campaign "${campaignId}" of another workspace refers to this ${what}`, 'cross_workspace_reference');
    }
  }
}
