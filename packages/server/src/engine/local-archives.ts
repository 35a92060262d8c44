import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArchiveListing, LocalArchive } from '@waypost/schema';
import yauzl from 'yauzl';
import type { AppContext } from '../context.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';
import type { ArchiveFileRecord, ArchiveOwnerKind, Repositories } from '../storage/store.js';
import { localPageUrl } from './clicks.js';

/*
 * Local landers and offers (README, Local landers and offers): a zip uploaded over the API is received to a temporary
 * file, checked entry by entry, and only then written to the database and switched to in one transaction.
 */

/** The limits of an upload; each refusal names the one it broke. */
export const ARCHIVE_LIMITS = {
  /** The zip as sent: 20 MB, or 413. */
  compressedBytes: 20 * 1024 * 1024,
  /** Files in it (folders do not count). */
  files: 2000,
  /** Its files unpacked, counted as they inflate (a header's claim is not believed). */
  unpackedBytes: 50 * 1024 * 1024,
  /** Unpacked ÷ packed, per file and overall, once a file or the whole passes {@link ARCHIVE_LIMITS.ratioFloorBytes}. */
  ratio: 100,
  /** A small file of blanks compresses far beyond 100:1 and harms nobody; ratios count from 1 MiB unpacked. */
  ratioFloorBytes: 1024 * 1024,
} as const;

/** Types by extension: a file is served as what its name says, never as what its bytes look like (with nosniff). */
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  txt: 'text/plain; charset=utf-8',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  pdf: 'application/pdf',
};

/** What a file of another extension is served as: a download, never rendered (README, Local landers and offers). */
export const DOWNLOAD_TYPE = 'application/octet-stream';

/**
 * The type a file is served with. A page keeps the charset its `<meta>` declares (landers in windows-1251 are common),
 * else UTF-8; its bytes are never re-encoded.
 */
export function contentTypeFor(path: string, content?: Buffer): string {
  const dot = path.lastIndexOf('.');
  const type = (dot > path.lastIndexOf('/') && CONTENT_TYPES[path.slice(dot + 1).toLowerCase()]) || DOWNLOAD_TYPE;
  if (!isPage(path) || !content) return type;
  const charset = /<meta[^>]*charset\s*=\s*["']?([A-Za-z0-9_-]{1,40})/i.exec(content.subarray(0, 1024).toString('latin1'))?.[1];
  return charset ? `text/html; charset=${charset.toLowerCase()}` : type;
}

/** Pages whose `{click_url}` and click macros are expanded per visit. */
export const isPage = (path: string): boolean => /\.html?$/i.test(path);

const refuse = (code: string, message: string): never => {
  throw new ApiError(422, code, message, [{ path: 'body', code, message }]);
};

/** Zip upload types: browsers and tools send any of these for a `.zip`. */
const ZIP_TYPES = new Set(['application/zip', 'application/x-zip-compressed', 'application/x-zip', 'application/octet-stream']);

/**
 * Streams the request body to a temporary file, never holding it whole in memory; 413 past the limit. Returns the
 * file's path and a function that removes it.
 */
export async function receiveZip(body: Readable, contentType: string | undefined, limit: number = ARCHIVE_LIMITS.compressedBytes): Promise<{ path: string; remove: () => Promise<void> }> {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!type || !ZIP_TYPES.has(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'send the archive as a zip with "Content-Type: application/zip"', [
      { path: 'body', code: 'unsupported_media_type', message: 'must be application/zip' },
    ]);
  }
  const dir = await mkdtemp(join(tmpdir(), 'waypost-archive-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, 'upload.zip');
  let received = 0;
  try {
    await pipeline(
      body,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          received += chunk.length;
          if (received > limit) throw new ApiError(413, 'archive_too_large', `the archive is larger than ${limit / 1024 / 1024} MB`, [{ path: 'body', code: 'archive_too_large', message: `must be at most ${limit} bytes` }]);
          yield chunk;
        }
      },
      createWriteStream(path),
    );
  } catch (error) {
    await remove();
    throw error;
  }
  if (received === 0) {
    await remove();
    refuse('archive_empty', 'the body is empty; send the zip as the request body');
  }
  return { path, remove };
}

/** One file of a checked archive: where it is in the zip, and the path it is served under. */
interface CheckedEntry {
  zipName: string;
  path: string;
}

// Unix file types in the upper half of a zip entry's external attributes, and the DOS attributes in its low byte.
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;
const DOS_REPARSE_POINT = 0x400;

/** What an entry is, from the attributes of the system that made the zip (Unix and macOS, or DOS and Windows). */
function fileType(entry: yauzl.Entry): 'file' | 'folder' | 'symbolic link' | 'special file' {
  const attributes = entry.externalFileAttributes >>> 0;
  const madeBy = entry.versionMadeBy >>> 8;
  if (madeBy === 3 || madeBy === 19) {
    const type = (attributes >>> 16) & S_IFMT;
    if (type === 0 || type === S_IFREG) return 'file';
    if (type === S_IFDIR) return 'folder';
    return type === S_IFLNK ? 'symbolic link' : 'special file';
  }
  // A Windows symbolic link or junction is a reparse point.
  if (attributes & DOS_REPARSE_POINT) return 'symbolic link';
  return attributes & DOS_DIRECTORY ? 'folder' : 'file';
}

/** Folders and files that archivers add beside the content (macOS Finder); skipped, never served. */
const isArchiverLitter = (name: string): boolean => name.startsWith('__MACOSX/') || /(^|\/)\.DS_Store$/.test(name);

/** Why an entry's name cannot be a path under the archive's root, or undefined when it can. */
function unsafeName(name: string): string | undefined {
  if (name.includes('\\')) return 'uses a backslash';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((segment) => segment === '..')) return 'leaves the archive root ("..")';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'has an empty or "." segment';
  if (name.length > 512) return 'is longer than 512 characters';
  return undefined;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  // decodeStrings off: yauzl would refuse some names with its own words and rewrite backslashes; names are checked here.
  return yauzl.openPromise(path, { lazyEntries: true, autoClose: true, decodeStrings: false, validateEntrySizes: true });
}

function nameOf(entry: yauzl.Entry): string {
  const raw = entry.fileNameRaw ?? (entry.fileName as unknown as Buffer);
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
}

/** The zip's entries; a broken central directory is a 422, not a server error. */
async function* entriesOf(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  const entries = zip.eachEntry();
  for (;;) {
    let next: IteratorResult<yauzl.Entry>;
    try {
      next = await entries.next();
    } catch (error) {
      return refuse('archive_invalid', `the zip archive is damaged: ${(error as Error).message}`);
    }
    if (next.done) return;
    yield next.value;
  }
}

/** Inflates an entry, counting its real bytes; `onChunk` may throw to stop it. */
async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry, onChunk: (chunk: Buffer) => void): Promise<void> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    return refuse('archive_invalid', `"${nameOf(entry)}" cannot be read: ${(error as Error).message}`);
  }
  try {
    for await (const chunk of stream) onChunk(chunk as Buffer);
  } catch (error) {
    stream.destroy();
    if (error instanceof ApiError) throw error;
    refuse('archive_invalid', `"${nameOf(entry)}" cannot be read: ${(error as Error).message}`);
  }
}

/**
 * Checks every entry of the zip (names, links, counts, real unpacked sizes, ratios, an `index.html`) and returns the
 * files to store; throws a 422 naming the first problem. A zip whose files all sit in one top-level folder with an
 * `index.html` is unwrapped, as Keitaro does: archivers put a folder around its content when a folder is zipped.
 */
export async function checkArchive(path: string): Promise<CheckedEntry[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    return refuse('archive_invalid', `the body is not a readable zip archive: ${(error as Error).message}`);
  }
  const names: string[] = [];
  let unpacked = 0;
  let packed = 0;
  try {
    for await (const entry of entriesOf(zip)) {
      const name = nameOf(entry);
      const problem = unsafeName(name);
      if (problem) refuse('archive_path_outside_root', `the entry "${name}" ${problem}; every entry must be a relative path inside the archive`);
      if (entry.isEncrypted()) refuse('archive_encrypted', `the entry "${name}" is encrypted`);
      const type = fileType(entry);
      if (type !== 'file' && type !== 'folder') refuse('archive_link', `the entry "${name}" is a ${type}; only files and folders are allowed`);
      if (name.endsWith('/') || type === 'folder' || isArchiverLitter(name)) continue;
      names.push(name);
      if (names.length > ARCHIVE_LIMITS.files) refuse('archive_too_many_files', `the archive has more than ${ARCHIVE_LIMITS.files} files`);
      let size = 0;
      await inflate(zip, entry, (chunk) => {
        size += chunk.length;
        unpacked += chunk.length;
        if (unpacked > ARCHIVE_LIMITS.unpackedBytes) refuse('archive_too_large_unpacked', `the archive unpacks to more than ${ARCHIVE_LIMITS.unpackedBytes / 1024 / 1024} MB`);
        if (size > ARCHIVE_LIMITS.ratioFloorBytes && size > ARCHIVE_LIMITS.ratio * Math.max(1, entry.compressedSize)) {
          refuse('archive_compression_ratio', `the entry "${name}" unpacks to more than ${ARCHIVE_LIMITS.ratio} times its packed size`);
        }
      });
      packed += entry.compressedSize;
    }
  } finally {
    zip.close();
  }
  if (unpacked > ARCHIVE_LIMITS.ratioFloorBytes && unpacked > ARCHIVE_LIMITS.ratio * Math.max(1, packed)) {
    refuse('archive_compression_ratio', `the archive unpacks to more than ${ARCHIVE_LIMITS.ratio} times its packed size`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) refuse('archive_duplicate_entry', `the entry "${name}" is in the archive twice`);
    seen.add(name);
  }
  if (seen.has('index.html')) return names.map((name) => ({ zipName: name, path: name }));
  const top = names[0]?.split('/')[0];
  if (top && names.every((name) => name.startsWith(`${top}/`)) && seen.has(`${top}/index.html`)) {
    return names.map((name) => ({ zipName: name, path: name.slice(top.length + 1) }));
  }
  return refuse('archive_no_index', 'the archive has no index.html at its root (or inside a single top-level folder)');
}

/** A strong validator of a file's bytes. */
const etagOf = (content: Buffer): string => `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;

type Owner = { kind: ArchiveOwnerKind; id: string };

/** Staging archives older than this belong to an upload that died; the next upload deletes them. */
const STAGING_TIMEOUT_MS = 3_600_000;

/**
 * Writes a checked archive's files under a new archive id and switches the owner to it in one transaction (the old
 * one goes in the same transaction). Nothing is served from the new archive before the switch, and a failure
 * deletes what was written.
 */
export async function storeArchive(
  context: AppContext,
  owner: Owner,
  zipPath: string,
  entries: readonly CheckedEntry[],
  alsoInTransaction: (tx: Repositories, archive: LocalArchive) => Promise<void>,
): Promise<LocalArchive> {
  const { store, clock } = context;
  const now = clock.now();
  await store.localArchives.sweepStaging(new Date(now.getTime() - STAGING_TIMEOUT_MS));
  const id = newId('arc_', now);
  const wanted = new Map(entries.map((entry) => [entry.zipName, entry.path]));
  await store.localArchives.stage(id, owner, now);
  let bytes = 0;
  try {
    const zip = await openZip(zipPath);
    try {
      for await (const entry of entriesOf(zip)) {
        const path = wanted.get(nameOf(entry));
        if (path === undefined) continue;
        const chunks: Buffer[] = [];
        await inflate(zip, entry, (chunk) => chunks.push(chunk));
        const content = Buffer.concat(chunks);
        bytes += content.length;
        await store.localArchives.addFile(id, { path, bytes: content.length, contentType: contentTypeFor(path, content), etag: etagOf(content) }, content);
      }
    } finally {
      zip.close();
    }
    const archive: LocalArchive = { id, files: entries.length, bytes, url: localPageUrl(context, owner.kind, owner.id, null), uploadedAt: now.toISOString() };
    await store.transaction(async (tx) => {
      if (!(await tx.localArchives.switchTo(owner, archive))) throw ApiError.notFound(owner.kind);
      await alsoInTransaction(tx, archive);
    });
    return archive;
  } catch (error) {
    await store.localArchives.discard(id);
    throw error;
  }
}

export function listingOf(archive: LocalArchive, files: readonly ArchiveFileRecord[]): ArchiveListing {
  return {
    ...archive,
    fileList: files.map((file) => ({ path: file.path, bytes: file.bytes, contentType: file.contentType, expandsMacros: isPage(file.path) })),
  };
}
