import type { UseQueryResult } from '@tanstack/react-query';
import { createColumnHelper, tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { errorMessage, type Page } from '../api.js';
import './admin-screens.css';

export const adminFeatures = tableFeatures({});

/** The column helper of the admin lists (publishers, conversions, payments, logs, settings). */
export function adminColumns<T extends RowData>() {
  return createColumnHelper<typeof adminFeatures, T>();
}

interface AdminTableProps<T extends RowData> {
  /** The table's accessible name, such as "Conversions". */
  label: string;
  /** What the list holds, for the loading and error messages ("conversions"). */
  noun: string;
  query: UseQueryResult<Page<T> | { data: T[] }>;
  // Each column has its own value type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<typeof adminFeatures, T, any>[];
  /** Shown when the list is empty: one text without filters, another with. */
  empty: ReactNode;
  filtered?: boolean;
  /** The row's stable key. */
  rowId?: (row: T) => string;
}

const NONE: never[] = [];

/**
 * A list of the admin screens with its loading, error and empty states: a table under a scrollable region that
 * keyboard users can reach, whose cells carry their header for the narrow layout (each row a card at 375 px).
 */
export function AdminTable<T extends RowData>({ label, noun, query, columns, empty, filtered = false, rowId }: AdminTableProps<T>) {
  const table = useTable({ features: adminFeatures, columns, data: (query.data?.data as T[] | undefined) ?? NONE, ...(rowId ? { getRowId: rowId } : {}) });
  if (query.isError) {
    return (
      <div className="alert alert-error" role="alert">
        <p>
          The {noun} could not be loaded: {errorMessage(query.error)}
        </p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (query.isPending) {
    return (
      <p role="status" className="loading">
        Loading {noun}…
      </p>
    );
  }
  if (query.data.data.length === 0) {
    return (
      <div className="empty" role="status">
        {filtered ? <p>No {noun} match these filters.</p> : <p>{empty}</p>}
      </div>
    );
  }
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`${label} table`}>
      <table className="data-table" aria-label={label} aria-busy={query.isFetching}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  <table.FlexRender header={header} />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id} data-label={typeof cell.column.columnDef.header === 'string' ? cell.column.columnDef.header : ''}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "First page" and "Next page" of a cursor list; the cursor lives in the URL with the filters. */
export function Pagination({ label, cursor, nextCursor, onPage }: { label: string; cursor: string | undefined; nextCursor: string | null | undefined; onPage: (cursor: string | undefined) => void }) {
  if (!cursor && !nextCursor) return null;
  return (
    <nav className="pagination" aria-label={`${label} pages`}>
      {cursor ? (
        <button type="button" className="button" onClick={() => onPage(undefined)}>
          First page
        </button>
      ) : null}
      {nextCursor ? (
        <button type="button" className="button" onClick={() => onPage(nextCursor)}>
          Next page
        </button>
      ) : null}
    </nav>
  );
}

/** A record's status as a badge ("Approved"); the styles colour the known ones. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, ' ')}</span>;
}

export interface FilterField {
  name: string;
  label: string;
  /** `select` applies at once; text and date inputs apply with the Filter button or Enter. */
  type: 'text' | 'select' | 'date';
  /** For a select: its choices, the first being "all". */
  choices?: readonly { value: string; label: string }[];
  placeholder?: string;
}

/**
 * The filters of a list, whose values are the URL's: a reload, a bookmark or a shared link shows the same list.
 * Changing a filter goes back to the first page.
 */
export function FilterBar({ label, fields, search, onApply }: { label: string; fields: readonly FilterField[]; search: Record<string, string | undefined>; onApply: (next: Record<string, string | undefined>) => void }) {
  const idBase = useId();
  const [typed, setTyped] = useState<Record<string, string>>({});
  const valueOf = (name: string) => typed[name] ?? search[name] ?? '';
  // The URL is the truth: back and forward, or a pasted link, put their filters into the boxes.
  const searchKey = JSON.stringify(search);
  useEffect(() => setTyped({}), [searchKey]);
  const apply = (changes: Record<string, string>) => {
    const next: Record<string, string | undefined> = { ...search, cursor: undefined };
    for (const field of fields) {
      const value = (changes[field.name] ?? valueOf(field.name)).trim();
      next[field.name] = value === '' ? undefined : value;
    }
    onApply(next);
  };
  return (
    <form
      className="filters"
      role="search"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        apply({});
      }}
    >
      {fields.map((field) => {
        const id = `${idBase}-${field.name}`;
        return (
          <div className="field" key={field.name}>
            <label htmlFor={id}>{field.label}</label>
            {field.type === 'select' ? (
              <select id={id} value={valueOf(field.name)} onChange={(event) => apply({ [field.name]: event.target.value })}>
                {(field.choices ?? []).map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type={field.type}
                value={valueOf(field.name)}
                placeholder={field.placeholder}
                onChange={(event) => setTyped({ ...typed, [field.name]: event.target.value })}
              />
            )}
          </div>
        );
      })}
      {/* Enter in a text filter submits the form; a form needs a button to be submitted by Enter in every browser. */}
      <button type="submit" className="button">
        Filter
      </button>
    </form>
  );
}

/** A `YYYY-MM-DD` filter as the API's timestamp: the start of that day, or its end for an upper bound, in UTC. */
export function dayBound(day: string | undefined, end: 'start' | 'end'): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return end === 'start' ? `${day}T00:00:00.000Z` : `${day}T23:59:59.999Z`;
}
