import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * A failure to start, said in one line that names the cause and the setting to change. The CLI prints the message
 * alone, without a stack; the error it explains is its `cause`.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

const DATABASE_SETTING = 'WAYPOST_DATABASE_URL (--database-url)';

/** The SQLite file a `file:PATH` database URL names, as the store opens it; undefined for PostgreSQL. */
export function sqlitePath(databaseUrl: string): string | undefined {
  return databaseUrl.startsWith('file:') ? resolve(databaseUrl.slice('file:'.length)) : undefined;
}

/** Why opening, claiming or migrating the database failed. */
export function databaseStartError(error: unknown, databaseUrl: string): StartupError {
  if (error instanceof StartupError) return error;
  const path = sqlitePath(databaseUrl);
  const message = path ? sqliteCause(error, path) : postgresCause(error, databaseUrl);
  return new StartupError(message, { cause: error });
}

/** The SQLite database at `path` is claimed by another server process. */
export function databaseInUseError(path: string): StartupError {
  return new StartupError(
    `another Waypost server is using the SQLite database ${path} (SQLite serves one server process): stop that server, or set ${DATABASE_SETTING} to another file (several processes can share PostgreSQL)`,
  );
}

function sqliteCause(error: unknown, path: string): string {
  const code = errorCode(error);
  const change = `set ${DATABASE_SETTING} to a file:PATH in a folder this user can write`;
  if (isDirectory(path)) return `the SQLite database path ${path} is a folder, not a file: set ${DATABASE_SETTING} to a file in it, such as file:${path}/waypost.db`;
  if (code.startsWith('SQLITE_READONLY')) {
    return `the SQLite database ${path} is read-only for this user: make the file and its folder writable, or ${change}`;
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return `no permission to create or write the SQLite database ${path} in ${dirname(path)}: give this user write access to the folder, or ${change}`;
  }
  if (code === 'ENOENT') return `cannot create the SQLite database ${path}: the folder ${dirname(path)} takes no new files; ${change}`;
  if (code === 'EROFS') return `the SQLite database ${path} is on a read-only file system: ${change}`;
  if (code === 'ENOTDIR') return `the SQLite database path ${path} goes through a file as if it were a folder: ${change}`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return `${path} is not an SQLite database (or it is damaged): ${change}, or restore the file from a backup`;
  }
  return `cannot open the SQLite database ${path} (${oneLine(error)}): ${change}`;
}

function postgresCause(error: unknown, databaseUrl: string): string {
  const url = safeUrl(databaseUrl);
  const server = `PostgreSQL at ${url.host}`;
  const code = errorCode(error);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(code)) {
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'unknown host' : code;
    return `cannot reach ${server} (${why}): start PostgreSQL there, or set ${DATABASE_SETTING} to a server that runs`;
  }
  // SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
  if (code === '28P01' || code === '28000') {
    return `${server} refused the user "${url.username}" (${oneLine(error)}): fix the user and password in ${DATABASE_SETTING}`;
  }
  if (code === '3D000') return `${server} has no database "${url.database}": create it (createdb ${url.database}), or fix the name in ${DATABASE_SETTING}`;
  return `cannot use ${server} (${oneLine(error)}): check ${DATABASE_SETTING}`;
}

/** Why binding the port failed. */
export function listenStartError(error: unknown, port: number): StartupError {
  const code = errorCode(error);
  const change = 'set WAYPOST_PORT (--port) to a free port';
  const message =
    code === 'EADDRINUSE'
      ? `port ${port} is already in use (another Waypost server or another program listens on it): stop it, or ${change}`
      : code === 'EACCES'
        ? `this user may not listen on port ${port} (ports below 1024 need privileges): ${change} of 1024 or above`
        : `cannot listen on port ${port} (${oneLine(error)}): ${change}`;
  return new StartupError(message, { cause: error });
}

/** The error code of a Node, libsql or pg error; a connection tried on several addresses keeps it in `errors`. */
function errorCode(error: unknown): string {
  const { code, errors } = (error ?? {}) as { code?: unknown; errors?: unknown[] };
  if (typeof code === 'string' && code) return code;
  if (Array.isArray(errors) && errors.length) return errorCode(errors[0]);
  return '';
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Host, user and database of a PostgreSQL URL; never its password. */
function safeUrl(databaseUrl: string): { host: string; username: string; database: string } {
  try {
    const url = new URL(databaseUrl);
    return { host: url.host || 'localhost', username: decodeURIComponent(url.username), database: decodeURIComponent(url.pathname.slice(1)) };
  } catch {
    return { host: '(an unreadable URL)', username: '', database: '' };
  }
}
