// Whether a Waypost server already runs on the SQLite database that `npm start` would use, so that a second
// `npm start` stops before it reinstalls and rebuilds dist/ under the running one.
// Plain Node ESM with no dependencies of its own: it reads libsql from the server's installed dependencies, and a
// checkout without them has no server running from it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

/**
 * The path of the SQLite database that `waypost start ARGS` run from `root` would open, when a server holds it,
 * else undefined. The server holds SQLite's exclusive lock on `PATH.lock` while it runs
 * (packages/server/src/storage/sqlite/server-lock.ts), and the operating system drops it when the server ends: a
 * read of that file is refused exactly while a server runs. PostgreSQL takes several servers, and is not checked.
 */
export function runningServerDatabase(root, args, env) {
  const path = sqlitePath(databaseUrlOf(args, env), root);
  if (!path || !existsSync(`${path}.lock`)) return undefined;
  let Database;
  try {
    Database = createRequire(join(root, 'packages', 'server', 'package.json'))('libsql');
  } catch {
    return undefined;
  }
  let db;
  try {
    db = new Database(`${path}.lock`);
    db.pragma('busy_timeout = 0');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return undefined;
  } catch (error) {
    return String(error?.code).startsWith('SQLITE_BUSY') ? path : undefined;
  } finally {
    db?.close();
  }
}

/** `--database-url URL` or `--database-url=URL` among the arguments, else WAYPOST_DATABASE_URL, else the default. */
function databaseUrlOf(args, env) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--database-url') return args[i + 1];
    if (args[i].startsWith('--database-url=')) return args[i].slice('--database-url='.length);
  }
  return env.WAYPOST_DATABASE_URL || 'file:./waypost.db';
}

function sqlitePath(databaseUrl, root) {
  return databaseUrl?.startsWith('file:') ? resolve(root, databaseUrl.slice('file:'.length)) : undefined;
}
