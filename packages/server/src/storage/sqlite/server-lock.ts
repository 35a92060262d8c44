import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';

/** The file next to an SQLite database that its server holds locked; `scripts/lib/server-lock.mjs` probes the same one. */
export const serverLockPath = (databasePath: string): string => `${databasePath}.lock`;

export interface ServerLock {
  release(): void;
}

/**
 * Claims an SQLite database for one server process (SQLite serves one; a second server would share its write lock
 * and its background checkpoints with the first). The claim is SQLite's own exclusive lock on `PATH.lock`, held
 * while the process lives: the operating system drops it when the process ends however it ends, so a crash never
 * leaves a stale claim, and no process id is compared. Returns null when another process holds it. The CLI's
 * short commands (`migrate`, `keys create`) take no claim: they share the database as a backup does.
 *
 * Errors creating the file (a folder that cannot be written) are thrown as they are, with their errno code.
 */
export function claimDatabase(databasePath: string): ServerLock | null {
  const path = serverLockPath(databasePath);
  mkdirSync(dirname(path), { recursive: true });
  // Created through fs first, so that a folder without permission fails with EACCES rather than libsql's bare code.
  closeSync(openSync(path, 'a'));
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 0');
    // Nothing is ever written to it: no journal, so the lock file stays alone and empty.
    db.pragma('journal_mode = OFF');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) return null;
    throw error;
  }
  // The file itself stays: removing it would let a process that opened it just before take a lock nobody sees.
  return { release: () => db.close() };
}
