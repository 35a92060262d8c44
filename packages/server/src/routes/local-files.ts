import { ArchiveListingSchema, ClickIdSchema, IdSchema } from '@waypost/schema';
import type { Request, Response, Router } from 'express';
import type { AppContext } from '../context.js';
import { recordAudit } from '../engine/audit.js';
import { clickUrl } from '../engine/campaign-visits.js';
import { assertUnused } from '../engine/campaigns.js';
import { clickMacroValues } from '../engine/clicks.js';
import { clickKeywords, keywordMacroValues } from '../engine/keyword-sets.js';
import { checkArchive, DOWNLOAD_TYPE, isPage, listingOf, receiveZip, storeArchive } from '../engine/local-archives.js';
import { assertReach } from '../engine/workspaces.js';
import type { Api } from '../http/api.js';
import type { Auth } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import type { ArchiveOwnerKind } from '../storage/store.js';
import { readCookie, type MacroValues } from '../tracking/index.js';
import { CLICK_COOKIE, notFoundPage } from './tracking.js';

/*
 * Local landers and offers (README, Local landers and offers): the archive endpoints under /v1, and the public pages
 * `/l/:landerId/…` and `/o/:offerId/…`.
 */

const OWNERS = [
  { kind: 'lander', plural: 'landers', tag: 'Landers', prefix: 'l' },
  { kind: 'offer', plural: 'offers', tag: 'Offers', prefix: 'o' },
] as const satisfies readonly { kind: ArchiveOwnerKind; plural: string; tag: string; prefix: string }[];

/**
 * The policy of every local file. The pages come from the tracker's own origin, beside the console and the API, so
 * they run sandboxed without `allow-same-origin`: a page's script can neither read the console's session nor call
 * the API as the person who opens it. Scripts, styles, images, fonts and media load from the archive (and `data:`
 * images and fonts); inline scripts and styles are allowed, as landers use them; a page connects to no other origin.
 */
export const LOCAL_FILES_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "media-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
  'sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation',
].join('; ');

/** The macros a page may use: the click's (not a conversion's, which a page never has), the click URL and keywords. */
const PAGE_MACROS: ReadonlySet<string> = new Set([
  'click_id',
  'offer_id',
  'publisher_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source',
  'country_code',
  'device',
  'timestamp',
  'offer_static_url',
  'campaign_id',
  'external_id',
  'keyword',
  'kw1',
  'kw2',
  'kw3',
  'kw4',
  'kw5',
]);

// `{name}` or `{click_url:N}`, as typed or percent-encoded by an editor in an `href`.
const PAGE_MACRO = /\{([a-z0-9_]{1,32})(?::(\d{1,2}))?\}|%7B([a-z0-9_]{1,32})(?:(?::|%3A)(\d{1,2}))?%7D/gi;

/** HTML-escaped, and ASCII only (other characters as references), so that it fits a page in any charset. */
const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']|[^\x20-\x7e]/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? `&#${c.codePointAt(0)};`);

/**
 * A page with its macros expanded, each value HTML-escaped. Only the names a page may use are touched: the braces of
 * inline scripts and styles stay as they are. The page is read and written as bytes (latin1), so that a page in any
 * charset keeps its bytes.
 */
export function expandPage(html: string, values: MacroValues, clickUrlFor: (slot: number) => string): string {
  return html.replace(PAGE_MACRO, (match, plain: string | undefined, slotPlain: string | undefined, encoded: string | undefined, slotEncoded: string | undefined) => {
    const name = (plain ?? encoded ?? '').toLowerCase();
    const slot = slotPlain ?? slotEncoded;
    if (name === 'click_url') return escapeHtml(clickUrlFor(Math.min(10, Math.max(1, Number(slot ?? 1)))));
    if (slot !== undefined || !PAGE_MACROS.has(name)) return match;
    const value = values[name];
    return value == null ? '' : escapeHtml(String(value));
  });
}

export function localFileRoutes(api: Api, router: Router, context: AppContext): void {
  const { store, clock } = context;

  const findOwner = async (kind: ArchiveOwnerKind, id: string, auth: Auth) => {
    const record = kind === 'lander' ? await store.landers.get(id) : await store.offers.get(id);
    if (!record) throw ApiError.notFound(kind);
    await assertReach(store, auth, record.workspaceId, kind);
    return record;
  };

  for (const { kind, plural, tag } of OWNERS) {
    const path = `/v1/${plural}/:id/archive`;
    const served = kind === 'lander' ? `/l/${kind.toUpperCase()}_ID/` : `/o/${kind.toUpperCase()}_ID/`;

    api.route(
      {
        method: 'put',
        path,
        tag,
        access: 'workspace',
        summary: `Upload the ${kind}'s archive`,
        consumes: 'application/zip',
        description:
          `The body is a zip (Content-Type: application/zip, at most 20 MB) with an index.html at its root or inside a single top-level folder; ` +
          `it is served at PUBLIC_URL${served} and replaces the previous archive at once. 422 names what is refused (paths outside the root, links, ` +
          'more than 2,000 files, more than 50 MB unpacked, a compression ratio over 100:1, no index.html); nothing is stored then.',
        response: ArchiveListingSchema,
      },
      async ({ params, auth, req }) => {
        const record = await findOwner(kind, params.id!, auth);
        const upload = await receiveZip(req, req.get('content-type'));
        try {
          const entries = await checkArchive(upload.path);
          const archive = await storeArchive(context, { kind, id: record.id }, upload.path, entries, (tx, archive) =>
            recordAudit(tx, auth, { recordType: kind, recordId: record.id, action: 'archive_upload', before: { archive: record.archive }, after: { archive }, at: clock.now() }),
          );
          return listingOf(archive, await store.localArchives.files(archive.id));
        } finally {
          await upload.remove();
        }
      },
    );

    api.route(
      { method: 'get', path, tag, access: 'workspace', summary: `List the files of the ${kind}'s archive`, description: '404 when it has none.', response: ArchiveListingSchema },
      async ({ params, auth }) => {
        const record = await findOwner(kind, params.id!, auth);
        if (!record.archive) throw new ApiError(404, 'not_found', `the ${kind} has no archive`);
        return listingOf(record.archive, await store.localArchives.files(record.archive.id));
      },
    );

    api.route(
      { method: 'delete', path, tag, access: 'workspace', summary: `Delete the ${kind}'s archive`, description: `The ${kind} goes back to its URL.` },
      async ({ params, auth }) => {
        const record = await findOwner(kind, params.id!, auth);
        if (!record.archive) return undefined;
        await store.transaction(async (tx) => {
          // Without its archive a lander without a URL would show nothing to the campaigns that use it.
          if (kind === 'lander' && !('url' in record && record.url)) await assertUnused(tx, 'lander', record.id, 'lander');
          await tx.localArchives.switchTo({ kind, id: record.id }, null);
          await recordAudit(tx, auth, { recordType: kind, recordId: record.id, action: 'archive_delete', before: { archive: record.archive }, after: { archive: null }, at: clock.now() });
        });
        return undefined;
      },
    );
  }

  /** The click macros of the visit the page is shown to, or none for an unknown visitor (README, Local landers and offers). */
  const visitValues = async (req: Request): Promise<{ clickId: string | null; values: MacroValues }> => {
    const fromQuery = typeof req.query.cid === 'string' && req.query.cid !== '' ? req.query.cid : undefined;
    const cid = fromQuery ?? readCookie(req.get('cookie'), CLICK_COOKIE);
    const click = cid && ClickIdSchema.safeParse(cid).success ? await store.clicks.get(cid) : undefined;
    const offer = click ? await store.offers.get(click.offerId) : undefined;
    if (!click || !offer) return { clickId: null, values: {} };
    return {
      clickId: click.id,
      values: {
        ...clickMacroValues(offer, { ...click, clickId: click.id }, click, click.createdAt),
        ...keywordMacroValues(clickKeywords(click)),
        campaign_id: click.campaignId,
        external_id: click.externalId,
      },
    };
  };

  const serve = (kind: ArchiveOwnerKind, prefix: string) => async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!IdSchema.safeParse(id).success) return notFoundPage(res);
    const segments = (req.params as { path?: string[] }).path ?? [];
    // The bare `/l/ID` resolves relative links against `/l/`: send it to the folder, as a web server does.
    if (segments.length === 0 && !req.path.endsWith('/')) {
      const query = req.originalUrl.indexOf('?');
      return res.redirect(301, `/${prefix}/${encodeURIComponent(id)}/${query < 0 ? '' : req.originalUrl.slice(query)}`);
    }
    // Express decodes each segment: one that still names a parent, or hides a separator, leaves the root.
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || /[\\/\u0000]/.test(segment))) return notFoundPage(res);
    const path = [...segments, ...(req.path.endsWith('/') ? ['index.html'] : [])].join('/');
    const file = await store.localArchives.serve({ kind, id }, path);
    if (!file) return notFoundPage(res);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', LOCAL_FILES_CSP);
    res.setHeader('Referrer-Policy', 'no-referrer-when-downgrade');
    res.type(file.contentType);
    if (isPage(path)) {
      // A page is per visit: its macros carry the visitor's click.
      const { clickId, values } = await visitValues(req);
      res.setHeader('Cache-Control', 'no-store');
      const html = expandPage(file.content.toString('latin1'), values, (slot) => clickUrl(context, slot, clickId));
      return res.send(Buffer.from(html, 'latin1'));
    }
    // Files are revalidated on every use, so that a replaced archive never mixes with a cached part of the old one.
    res.setHeader('Cache-Control', 'no-cache');
    // The sandboxed page has an opaque origin, so even its own files are another origin to its fetch(); they are public
    // and the same for everyone (no cookie is read for them), so any origin may read them.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('ETag', file.etag);
    if (file.contentType === DOWNLOAD_TYPE) res.attachment(path.split('/').pop());
    if (ifNoneMatch(req.get('if-none-match'), file.etag)) return res.status(304).end();
    res.send(file.content);
  };

  for (const { kind, prefix } of OWNERS) {
    router.get(`/${prefix}/:id`, serve(kind, prefix));
    router.get(`/${prefix}/:id/{*path}`, serve(kind, prefix));
  }
}

/** Whether `If-None-Match` names the ETag (weak comparison, as RFC 9110 asks for GET). */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
