import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ColumnDef, tableFeatures, useTable } from '@tanstack/react-table';
import type { ErrorIssue } from '@waypost/schema';
import { type ReactNode, useEffect, useState } from 'react';
import type { FieldErrors, FieldValues, Path, Resolver } from 'react-hook-form';
import { TextAreaField } from '../components/fields.js';
import { api, errorMessage, type Page } from '../api.js';
import { placeIssues } from '../form-errors.js';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { canWrite, useCurrentSession } from '../session.js';
import { parseTrackerListSearch, type TrackerListSearch } from './campaign-search.js';
import './campaign-screens.css';

/*
 * What the tracker screens (campaigns, landers, traffic sources) share: their lists, the options their forms choose from,
 * and the check of a form against the API's own schema.
 */

export const trackerFeatures = tableFeatures({});

/** An id in a path, for `/v1/…/:id`. */
export const idPath = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;

const SEARCH_DELAY_MS = 300;
export const LIST_PAGE_SIZE = 50;

/**
 * A list screen of records that have a name: the search box and "Show archived" kept in the URL, the table, its
 * loading, empty and error states, and the pages.
 */
export function TrackerList<T extends { id: string }>({
  title,
  what,
  search,
  setSearch,
  queryKey,
  load,
  columns,
  addButton,
  emptyHint,
  extraFilters,
}: {
  title: string;
  /** The plural in sentences, such as "campaigns". */
  what: string;
  search: TrackerListSearch;
  setSearch: (next: TrackerListSearch) => void;
  queryKey: readonly unknown[];
  load: () => Promise<Page<T>>;
  // Each column's value type differs; the table only renders them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<typeof trackerFeatures, T, any>[];
  addButton: ReactNode;
  emptyHint: string;
  extraFilters?: ReactNode;
}) {
  const session = useCurrentSession();
  const titleId = `${what.replace(/\W+/g, '-')}-title`;
  const [typed, setTyped] = useState(search.q ?? '');
  const typedQ = typed.trim() || undefined;
  useEffect(() => setTyped(search.q ?? ''), [search.q]);
  useEffect(() => {
    if (typedQ === search.q) return;
    const timer = setTimeout(() => setSearch({ ...search, q: typedQ, cursor: undefined }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  });
  const list = useQuery({ queryKey: [...queryKey, search], queryFn: load, placeholderData: keepPreviousData });
  const table = useTable({ features: trackerFeatures, columns, data: list.data?.data ?? (EMPTY as T[]) });
  const filtered = Object.entries(search).some(([key, value]) => key !== 'cursor' && value !== undefined);

  return (
    <section className="screen" aria-labelledby={titleId}>
      <header className="screen-header">
        <h1 id={titleId}>{title}</h1>
        {addButton}
      </header>
      <form
        className="filters"
        role="search"
        aria-label={`Filter ${what}`}
        onSubmit={(event) => {
          event.preventDefault();
          if (typedQ !== search.q) setSearch({ ...search, q: typedQ, cursor: undefined });
        }}
      >
        <div className="field">
          <label htmlFor={`${titleId}-search`}>Search</label>
          <input id={`${titleId}-search`} type="search" value={typed} onChange={(event) => setTyped(event.target.value)} placeholder="Name or ID" />
        </div>
        {extraFilters}
        {session.workspaces.length > 1 ? (
          <div className="field">
            <label htmlFor={`${titleId}-workspace`}>Workspace</label>
            <select
              id={`${titleId}-workspace`}
              value={search.workspaceId ?? ''}
              onChange={(event) => setSearch({ ...search, workspaceId: event.target.value || undefined, cursor: undefined })}
            >
              <option value="">All workspaces</option>
              {session.workspaces.map((workspace) => (
                <option key={workspace.id} value={workspace.id}>
                  {workspace.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field field-checkbox">
          <input
            id={`${titleId}-archived`}
            type="checkbox"
            checked={search.includeArchived === 'true'}
            onChange={(event) => setSearch({ ...search, includeArchived: event.target.checked ? 'true' : undefined, cursor: undefined })}
          />
          <label htmlFor={`${titleId}-archived`}>Show archived</label>
        </div>
        <button type="submit" className="button">
          Filter
        </button>
      </form>
      {list.isError ? (
        <div className="alert alert-error" role="alert">
          <p>
            The {what} could not be loaded: {errorMessage(list.error)}
          </p>
          <button type="button" className="button" onClick={() => void list.refetch()}>
            Try again
          </button>
        </div>
      ) : list.isPending ? (
        <p role="status" className="loading">
          Loading {what}…
        </p>
      ) : list.data.data.length === 0 ? (
        <div className="empty" role="status">
          <p>{filtered ? `No ${what} match these filters.` : `No ${what} yet. ${emptyHint}`}</p>
        </div>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={`${title} table`}>
          <table className="data-table" aria-labelledby={titleId} aria-busy={list.isFetching}>
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
                    <td key={cell.id} data-label={String(cell.column.columnDef.header)}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pagination" aria-label={`${title} pages`}>
        {search.cursor ? (
          <button type="button" className="button" onClick={() => setSearch({ ...search, cursor: undefined })}>
            First page
          </button>
        ) : null}
        {list.data?.nextCursor ? (
          <button type="button" className="button" onClick={() => setSearch({ ...search, cursor: list.data.nextCursor ?? undefined })}>
            Next page
          </button>
        ) : null}
      </nav>
    </section>
  );
}
const EMPTY: never[] = [];

export interface NamedRecord {
  id: string;
  name: string;
}

/** The records a form chooses from (up to 500, archived ones left out), by name. */
export function useOptions(path: '/v1/offers' | '/v1/landers' | '/v1/traffic-sources' | '/v1/campaigns' | '/v1/publishers') {
  return useQuery({
    queryKey: [path.slice(4), 'options'],
    queryFn: () => api.get<Page<NamedRecord>>(path, { limit: 500 }),
    staleTime: 30_000,
  });
}

/** Sets `value` at a dotted path of `target`, making the objects on the way (`streams.0.name`). */
function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] ??= value;
}

/** Plainer words than zod's defaults for an empty field; every other message is the schema's own, as the server says it. */
function plainMessage(issue: { code: string; input?: unknown; origin?: string; minimum?: unknown; message: string }): string {
  if (issue.code === 'invalid_type' && (issue.input === undefined || issue.input === null || issue.input === '')) return 'is required';
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'is required';
  return issue.message;
}

/**
 * A react-hook-form resolver that checks the form's API body with the API's own schema, so the form says what the
 * server would; each issue goes to the input its path names (`placeIssues`), and what names no input to `onFormErrors`.
 */
export function schemaResolver<V extends FieldValues>(
  schema: { safeParse(input: unknown): { success: true } | { success: false; error: { issues: { path: PropertyKey[]; code: string; message: string }[] } } },
  toParams: (values: V) => unknown,
  fields: (values: V) => string[],
  onFormErrors: (messages: string[]) => void,
): Resolver<V> {
  return async (values) => {
    const parsed = schema.safeParse(toParams(values));
    if (parsed.success) {
      onFormErrors([]);
      return { values, errors: {} };
    }
    const issues: ErrorIssue[] = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), code: issue.code, message: plainMessage(issue as never) }));
    const { fieldErrors, formErrors } = placeIssues(issues, fields(values));
    const errors: Record<string, unknown> = {};
    for (const { field, message } of fieldErrors) setAt(errors, field, { type: 'validation', message });
    onFormErrors(formErrors);
    return { values: {}, errors: errors as FieldErrors<V> };
  };
}

/** "1 Monday…": lines or commas into a list, blanks dropped. */
export function splitList(value: string, separator: RegExp = /[\n,]+/): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A form's messages that name no input, above it. */
export function FormErrors({ what, messages }: { what: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="alert alert-error" role="alert">
      <p>The {what} was not saved.</p>
      <ul>
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Archives a record (`DELETE`): it leaves lists and cannot be chosen again, and its clicks keep naming it. The server
 * refuses, in words, a record that a live campaign still uses.
 */
export function ArchiveButton({ what, name, path, queryKey, onArchived }: { what: string; name: string; path: string; queryKey: string; onArchived: () => void }) {
  const queryClient = useQueryClient();
  const archive = useMutation({
    mutationFn: () => api.delete<unknown>(path),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [queryKey] });
      onArchived();
    },
  });
  return (
    <div className="button-row">
      <button
        type="button"
        className="button button-danger"
        disabled={archive.isPending}
        onClick={() => {
          if (window.confirm(`Archive ${name}? It leaves the lists; its history stays.`)) archive.mutate();
        }}
      >
        Archive {what}
      </button>
      {archive.isError ? (
        <p className="alert alert-error" role="alert">
          {errorMessage(archive.error)}
        </p>
      ) : null}
    </div>
  );
}

/** The tracker's records that a list, an add screen and an edit screen with Archive serve alike. */
type TrackerCollection = 'landers' | 'traffic-sources' | 'keyword-sets';

/** `/COLLECTION`: the searchable, paged list, with Add for a role that writes. */
export function RecordListScreen<T extends { id: string }>({
  collection,
  title,
  columns,
  emptyHint,
  addLabel,
}: {
  collection: TrackerCollection;
  title: string;
  columns: unknown;
  emptyHint: string;
  addLabel: string;
}) {
  const search = parseTrackerListSearch(useSearch({ strict: false }));
  const navigate = useNavigate();
  const session = useCurrentSession();
  return (
    <TrackerList<T>
      title={title}
      what={title.toLowerCase()}
      search={search}
      setSearch={(next) => void navigate({ to: `/${collection}`, search: next as never })}
      queryKey={[collection, 'list']}
      load={() => api.get<Page<T>>(`/v1/${collection}`, { q: search.q, workspaceId: search.workspaceId, cursor: search.cursor, includeArchived: search.includeArchived, limit: LIST_PAGE_SIZE })}
      columns={columns as never}
      emptyHint={emptyHint}
      addButton={
        canWrite(session) ? (
          <button type="button" className="button button-primary" onClick={() => void navigate({ to: `/${collection}/new` })}>
            {addLabel}
          </button>
        ) : null
      }
    />
  );
}

/** `/COLLECTION/new`: the form for a role that writes, a note for the others. */
export function NewRecordScreen({ collection, what, form }: { collection: TrackerCollection; what: string; form: (onSaved: () => void) => ReactNode }) {
  const navigate = useNavigate();
  const session = useCurrentSession();
  const titleId = `new-${collection}-title`;
  return (
    <section className="screen" aria-labelledby={titleId}>
      <h1 id={titleId}>Add {what}</h1>
      {canWrite(session) ? form(() => void navigate({ to: `/${collection}` })) : <p role="alert">Your role reads {what}s but does not add them.</p>}
    </section>
  );
}

/**
 * `/COLLECTION/$id/edit`: the record loaded by id, its header with Archive, then its form for a role that writes or
 * `facts` for the others, and `after` whatever the role.
 */
export function EditRecordScreen<T extends { id: string; name: string; archivedAt: string | null }>({
  collection,
  what,
  id,
  form,
  facts,
  after,
}: {
  collection: TrackerCollection;
  /** What the record is, in the breadcrumb and the messages: "Lander", "traffic source". */
  what: string;
  id: string;
  form: (record: T, onSaved: () => void) => ReactNode;
  facts: (record: T) => ReactNode;
  after?: (record: T) => ReactNode;
}) {
  const navigate = useNavigate();
  const session = useCurrentSession();
  const path = idPath(`/v1/${collection}`, id);
  const record = useQuery({ queryKey: [collection, id], queryFn: () => api.get<T>(path) });
  if (record.isPending) return <p role="status">Loading the {what}…</p>;
  if (record.isError) return <p role="alert">The {what} could not be loaded: {errorMessage(record.error)}</p>;
  const toList = () => void navigate({ to: `/${collection}` });
  const titleId = `edit-${collection}-title`;
  return (
    <section className="screen" aria-labelledby={titleId}>
      <p className="breadcrumb">
        {what.charAt(0).toUpperCase()}
        {what.slice(1)} {record.data.id}
      </p>
      <header className="screen-header">
        <h1 id={titleId}>{canWrite(session) ? `Edit ${record.data.name}` : record.data.name}</h1>
        {canWrite(session) && !record.data.archivedAt ? <ArchiveButton what={what} name={record.data.name} path={path} queryKey={collection} onArchived={toList} /> : null}
      </header>
      {canWrite(session) ? form(record.data, toList) : facts(record.data)}
      {after?.(record.data)}
    </section>
  );
}

/** The end of a tracker record's form: its Notes, then Save and Cancel (back where the user came from). */
export function NotesAndSave<V extends FieldValues>({ saving }: { saving: boolean }) {
  return (
    <>
      <fieldset>
        <legend>Notes</legend>
        <TextAreaField<V> name={'notes' as Path<V>} label="Notes" />
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          Save
        </button>
        <button type="button" className="button" onClick={() => window.history.back()}>
          Cancel
        </button>
        {saving ? <span role="status">Saving…</span> : null}
      </div>
    </>
  );
}
