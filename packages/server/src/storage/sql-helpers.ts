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

const ARGS = Symbol('args');

/**
 * A maker of objects whose members are built on first use, from `factories` called with the maker's arguments. A
 * transaction binds every repository to itself but uses only a few, and building all of them for each click was
 * measurable; the getters live on one shared prototype, so making an object costs one allocation.
 */
export function lazyObjects<T extends object, A extends unknown[]>(factories: { [K in keyof T]: (...args: A) => T[K] }): (...args: A) => T {
  const prototype: object = {};
  for (const key of Object.keys(factories) as (keyof T & string)[]) {
    Object.defineProperty(prototype, key, {
      enumerable: true,
      get(this: { [ARGS]: A }) {
        const value = factories[key](...this[ARGS]);
        Object.defineProperty(this, key, { value, enumerable: true, configurable: true, writable: true });
        return value;
      },
    });
  }
  return (...args) => Object.assign(Object.create(prototype) as T, { [ARGS]: args });
}

/**
 * The SQL condition that keeps rows whose `column` names a workspace of `filter` (README, Workspaces); `column` is a
 * workspace id. Pushes its values onto `params`.
 */
export function workspaceCondition(column: string, filter: { ids: readonly string[]; public: boolean }, params: unknown[]): string {
  const terms: string[] = [];
  if (filter.ids.length > 0) {
    terms.push(`${column} IN (${filter.ids.map(() => '?').join(', ')})`);
    params.push(...filter.ids);
  }
  if (filter.public) terms.push(`${column} IN (SELECT id FROM workspaces WHERE visibility = 'public')`);
  return terms.length > 0 ? `(${terms.join(' OR ')})` : '1 = 0';
}

/** The same for rows of an offer (clicks, conversions, rollups): keeps those whose `offerColumn` names such an offer. */
export function offerWorkspaceCondition(offerColumn: string, filter: { ids: readonly string[]; public: boolean }, params: unknown[]): string {
  return `${offerColumn} IN (SELECT id FROM offers WHERE ${workspaceCondition('workspace_id', filter, params)})`;
}
