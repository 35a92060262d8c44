import type { List, ListQuery } from '@waypost/schema';
import type { Row, SqlExecutor } from './driver.js';

/** Newest first, keyed by the time-sortable id; the cursor is the last id of the page. */
export async function paginate<T extends { id: string }>(
  db: SqlExecutor,
  sql: { from: string; where: string[]; params: unknown[] },
  page: ListQuery,
  map: (row: Row) => T,
): Promise<List<T>> {
  const where = [...sql.where];
  const params = [...sql.params];
  if (page.cursor) {
    where.push('id < ?');
    params.push(page.cursor);
  }
  const rows = await db.all(
    `SELECT * FROM ${sql.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    [...params, page.limit + 1],
  );
  const data = rows.slice(0, page.limit).map(map);
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}


export const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
export const isoOrNull = (ms: unknown): string | null => (ms == null ? null : iso(ms));
export const str = (value: unknown): string | null => (value == null ? null : String(value));

/**
 * An object whose members are built on first use. A transaction binds every repository to itself but uses only a
 * few, and building all of them on each click was measurable.
 */
export function lazy<T extends object>(factories: { [K in keyof T]: () => T[K] }): T {
  const target = {} as T;
  for (const key of Object.keys(factories) as (keyof T)[]) {
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = factories[key]();
        Object.defineProperty(target, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return target;
}
