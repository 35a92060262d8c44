import type { KeywordSet, LocalArchive } from '@waypost/schema';
import type { Row, SqlExecutor } from './driver.js';
import type { Atomic } from './sql-store.js';
import { documentRepository } from './sql-campaigns.js';
import type { ArchiveFileRecord, ArchiveOwnerKind, KeywordSetRepository, LocalArchiveRepository, ServedArchiveFile } from './store.js';

/**
 * Migration 14: local landers and offers, and keyword sets (README, Local landers and offers; Keyword sets).
 *
 * An archive's files live in the database, so that every server process sharing it serves the same files and a
 * replacement is one transaction: the owner's `archive_id` switches, and the old archive's rows go in that same
 * transaction. Serving reads the file through the owner's current `archive_id` in one statement, which sees one
 * snapshot: either the old archive whole or the new one whole. An archive is `staging` while its files are written,
 * `live` once an owner points at it; a staging archive whose upload died is swept by the next upload.
 *
 * `archive` on the owner is the summary the record shows (files, bytes, when); it is kept in its own column, beside
 * the record's document, so that a `PATCH` of the lander or offer never writes it back stale.
 */
export const LOCAL_FILES_MIGRATION = `
ALTER TABLE offers ADD COLUMN archive_id {{id}};
ALTER TABLE offers ADD COLUMN archive TEXT;
ALTER TABLE landers ADD COLUMN archive_id {{id}};
ALTER TABLE landers ADD COLUMN archive TEXT;

CREATE TABLE local_archives (
  id {{id}} PRIMARY KEY,
  owner_kind TEXT NOT NULL,
  owner_id {{id}} NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX ix_local_archives_owner ON local_archives (owner_kind, owner_id, state);
CREATE INDEX ix_local_archives_state ON local_archives (state, created_at);

CREATE TABLE archive_files (
  archive_id {{id}} NOT NULL,
  path {{id}} NOT NULL,
  content {{blob}} NOT NULL,
  bytes BIGINT NOT NULL,
  content_type TEXT NOT NULL,
  etag TEXT NOT NULL,
  PRIMARY KEY (archive_id, path)
);

CREATE TABLE keyword_sets (
  id {{id}} PRIMARY KEY,
  name TEXT NOT NULL,
  workspace_id {{id}} NOT NULL,
  config TEXT NOT NULL,
  archived_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX ix_keyword_sets_workspace ON keyword_sets (workspace_id, id);
`;

/** The tables whose rows own an archive, by kind; nothing else is ever put into SQL from here. */
const OWNER_TABLES: Record<ArchiveOwnerKind, string> = { lander: 'landers', offer: 'offers' };

/** A stored archive summary; a malformed one reads as none rather than breaking the record. */
export function archiveFromColumn(value: unknown): LocalArchive | null {
  if (value == null) return null;
  try {
    return JSON.parse(String(value)) as LocalArchive;
  } catch {
    return null;
  }
}

const bytesOf = (value: unknown): Buffer =>
  Buffer.isBuffer(value) ? value : value instanceof ArrayBuffer ? Buffer.from(value) : Buffer.from(value as Uint8Array);

export function localArchiveRepository(db: SqlExecutor, atomic: Atomic): LocalArchiveRepository {
  const fileFromRow = (row: Row): ArchiveFileRecord => ({
    path: String(row.path),
    bytes: Number(row.bytes),
    contentType: String(row.content_type),
    etag: String(row.etag),
  });
  const deleteArchive = async (tx: SqlExecutor, id: string) => {
    await tx.run('DELETE FROM archive_files WHERE archive_id = ?', [id]);
    await tx.run('DELETE FROM local_archives WHERE id = ?', [id]);
  };
  return {
    async stage(id, owner, at) {
      await db.run("INSERT INTO local_archives (id, owner_kind, owner_id, state, created_at) VALUES (?, ?, ?, 'staging', ?)", [id, owner.kind, owner.id, at.getTime()]);
    },
    async addFile(archiveId, file, content) {
      await db.run('INSERT INTO archive_files (archive_id, path, content, bytes, content_type, etag) VALUES (?, ?, ?, ?, ?, ?)', [
        archiveId,
        file.path,
        content,
        file.bytes,
        file.contentType,
        file.etag,
      ]);
    },
    async switchTo(owner, archive) {
      const table = OWNER_TABLES[owner.kind];
      return atomic(async (tx) => {
        // The owner's row first: it locks the row on PostgreSQL, so that two uploads to one owner switch one at a time.
        const changed = await tx.run(`UPDATE ${table} SET archive_id = ?, archive = ? WHERE id = ?`, [archive?.id ?? null, archive ? JSON.stringify(archive) : null, owner.id]);
        if (changed === 0) return false;
        const old = await tx.all<{ id: string }>("SELECT id FROM local_archives WHERE owner_kind = ? AND owner_id = ? AND state = 'live'", [owner.kind, owner.id]);
        for (const { id } of old) if (id !== archive?.id) await deleteArchive(tx, String(id));
        if (archive) await tx.run("UPDATE local_archives SET state = 'live' WHERE id = ?", [archive.id]);
        return true;
      });
    },
    async discard(archiveId) {
      await atomic((tx) => deleteArchive(tx, archiveId));
    },
    async sweepStaging(before) {
      const stale = await db.all<{ id: string }>("SELECT id FROM local_archives WHERE state = 'staging' AND created_at < ?", [before.getTime()]);
      for (const { id } of stale) await atomic((tx) => deleteArchive(tx, String(id)));
      return stale.length;
    },
    async files(archiveId) {
      const rows = await db.all('SELECT path, bytes, content_type, etag FROM archive_files WHERE archive_id = ? ORDER BY path', [archiveId]);
      return rows.map(fileFromRow);
    },
    async serve(owner, path) {
      const table = OWNER_TABLES[owner.kind];
      // One statement: the owner's current archive and its file from the same snapshot (see the migration's comment).
      const row = await db.get(
        `SELECT f.archive_id, f.path, f.content, f.bytes, f.content_type, f.etag FROM ${table} o
         JOIN archive_files f ON f.archive_id = o.archive_id AND f.path = ?
         WHERE o.id = ? AND o.archived_at IS NULL`,
        [path, owner.id],
      );
      if (!row) return undefined;
      return { ...fileFromRow(row), archiveId: String(row.archive_id), content: bytesOf(row.content) } satisfies ServedArchiveFile;
    },
  };
}

export function keywordSetRepository(db: SqlExecutor): KeywordSetRepository {
  return documentRepository<KeywordSet>(db, 'keyword_sets');
}
