import { resolve } from 'node:path';
import { withConfigCache } from './cache.js';
import { openPostgres } from './postgres/driver.js';
import { createSqlStore } from './sql-store.js';
import { openSqlite } from './sqlite/driver.js';
import type { Store } from './store.js';

export { DatabaseBusyError, UniqueViolationError } from './driver.js';
export type * from './store.js';

/**
 * Opens the store named by a database URL: `file:PATH` (embedded SQLite, the default) or `postgres://…`.
 * Call `migrate()` before use.
 */
export function openStore(databaseUrl: string): Store {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return withConfigCache(createSqlStore(openPostgres(databaseUrl)));
  if (databaseUrl.startsWith('file:')) return withConfigCache(createSqlStore(openSqlite(resolve(databaseUrl.slice('file:'.length)))));
  throw new Error(`WAYPOST_DATABASE_URL must be "file:PATH" or "postgres://…", got "${databaseUrl}"`);
}
