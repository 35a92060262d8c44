import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { Link, useParams } from '@tanstack/react-router';
import { CreateKeywordSetParamsSchema, type KeywordSet } from '@waypost/schema';
import { useId, useMemo, useState } from 'react';
import { FormProvider, type Path, useFieldArray, useForm } from 'react-hook-form';
import { api, errorMessage, isApiRequestError, request } from '../api.js';
import { SelectField, TextField } from '../components/fields.js';
import { placeIssues, sentence } from '../form-errors.js';
import { formatDate } from '../format.js';
import { useCurrentSession } from '../session.js';
import { EditRecordScreen, FormErrors, idPath, NewRecordScreen, NotesAndSave, RecordListScreen, schemaResolver, splitList, trackerFeatures } from './campaign-shared.js';
import './local-files.css';

const column = createColumnHelper<typeof trackerFeatures, KeywordSet>();
const columns = column.columns([
  column.accessor('name', {
    header: 'Name',
    cell: (info) => (
      <Link to="/keyword-sets/$keywordSetId/edit" params={{ keywordSetId: info.row.original.id }}>
        {info.getValue()}
      </Link>
    ),
  }),
  column.accessor('id', { header: 'ID', cell: (info) => <code>{info.getValue()}</code> }),
  column.accessor('mode', { header: 'Mode', cell: (info) => (info.getValue() === 'weighted' ? 'Weighted' : 'Sequential') }),
  column.accessor('keywords', { header: 'Keywords', cell: (info) => `${info.getValue().filter((keyword) => keyword.active).length} active of ${info.getValue().length}` }),
  column.accessor('createdAt', { header: 'Created', cell: (info) => (info.row.original.archivedAt ? `Archived ${formatDate(info.row.original.archivedAt)}` : formatDate(info.getValue())) }),
]);

/** `/keyword-sets`, reached from the offers list: search-arbitrage offers draw their `{keyword}` from a set. */
export function KeywordSetsScreen() {
  return (
    <RecordListScreen<KeywordSet>
      collection="keyword-sets"
      title="Keyword sets"
      columns={columns}
      emptyHint="A keyword set lists the keywords an offer appends to its URL ({keyword}, {kw1}…{kw5}), drawn by weight or in turn."
      addLabel="Add keyword set"
    />
  );
}

export interface KeywordRow {
  text: string;
  weight: string;
  active: boolean;
}

export interface KeywordSetFormValues {
  name: string;
  mode: 'weighted' | 'sequential';
  keywords: KeywordRow[];
  notes: string;
  workspaceId: string;
}

export function toKeywordSetParams(values: KeywordSetFormValues) {
  return {
    name: values.name,
    mode: values.mode,
    keywords: values.keywords.map((keyword) => ({ text: keyword.text.trim(), weight: Number(keyword.weight), active: keyword.active })),
    notes: values.notes.trim() === '' ? null : values.notes.trim(),
    ...(values.workspaceId ? { workspaceId: values.workspaceId } : {}),
  };
}

/** Pasted lines as new rows: blanks and keywords already listed (in any case) are left out, as the server refuses repeats. */
export function pastedRows(pasted: string, existing: readonly KeywordRow[]): KeywordRow[] {
  const seen = new Set(existing.map((row) => row.text.trim().toLowerCase()));
  const rows: KeywordRow[] = [];
  for (const text of splitList(pasted, /\r?\n/)) {
    if (seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    rows.push({ text, weight: '100', active: true });
  }
  return rows;
}

const fieldsOf = (values: KeywordSetFormValues) => [
  'name',
  'mode',
  'notes',
  'workspaceId',
  ...values.keywords.flatMap((_, index) => [`keywords.${index}.text`, `keywords.${index}.weight`, `keywords.${index}.active`]),
];

/** The keyword set editor: paste a list, then set each keyword's weight and switch it on or off. */
export function KeywordSetForm({ keywordSet, onSaved }: { keywordSet?: KeywordSet; onSaved: (saved: KeywordSet) => void }) {
  const queryClient = useQueryClient();
  const session = useCurrentSession();
  const pasteId = useId();
  const [pasted, setPasted] = useState('');
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const resolver = useMemo(() => schemaResolver(CreateKeywordSetParamsSchema, toKeywordSetParams, fieldsOf, setFormErrors), []);
  const form = useForm<KeywordSetFormValues>({
    defaultValues: keywordSet
      ? {
          name: keywordSet.name,
          mode: keywordSet.mode,
          keywords: keywordSet.keywords.map((keyword) => ({ text: keyword.text, weight: String(keyword.weight), active: keyword.active })),
          notes: keywordSet.notes ?? '',
          workspaceId: keywordSet.workspaceId,
        }
      : { name: '', mode: 'weighted', keywords: [], notes: '', workspaceId: '' },
    resolver,
  });
  const rows = useFieldArray({ control: form.control, name: 'keywords' });
  const mode = form.watch('mode');
  const save = useMutation({
    mutationFn: (values: KeywordSetFormValues) =>
      keywordSet
        ? request<KeywordSet>('PATCH', idPath('/v1/keyword-sets', keywordSet.id), { body: toKeywordSetParams(values) })
        : api.post<KeywordSet>('/v1/keyword-sets', toKeywordSetParams(values)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['keyword-sets'] });
      onSaved(saved);
    },
    onError: (error) => {
      const placed = isApiRequestError(error) ? placeIssues(error.issues, fieldsOf(form.getValues())) : { fieldErrors: [], formErrors: [] };
      for (const { field, message } of placed.fieldErrors) form.setError(field as Path<KeywordSetFormValues>, { type: 'server', message }, { shouldFocus: true });
      setFormErrors(placed.fieldErrors.length === 0 && placed.formErrors.length === 0 ? [errorMessage(error)] : placed.formErrors);
    },
  });
  const addPasted = () => {
    rows.append(pastedRows(pasted, form.getValues('keywords')));
    setPasted('');
  };
  return (
    <FormProvider {...form}>
      <form className="offer-form" noValidate aria-label={keywordSet ? `Edit ${keywordSet.name}` : 'New keyword set'} onSubmit={form.handleSubmit((values) => save.mutate(values))}>
        <FormErrors what="keyword set" messages={formErrors} />
        <fieldset>
          <legend>Details</legend>
          <TextField<KeywordSetFormValues> name="name" label="Name" autoComplete="off" />
          <SelectField<KeywordSetFormValues>
            name="mode"
            label="Mode"
            choices={[
              { value: 'weighted', label: 'Weighted: drawn by weight' },
              { value: 'sequential', label: 'Sequential: in list order, in turn' },
            ]}
          />
          {session.workspaces.length > 1 ? (
            <SelectField<KeywordSetFormValues>
              name="workspaceId"
              label="Workspace"
              choices={[...(keywordSet ? [] : [{ value: '', label: 'Default workspace' }]), ...session.workspaces.map((workspace) => ({ value: workspace.id, label: workspace.name }))]}
            />
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Keywords</legend>
          <div className="field">
            <label htmlFor={pasteId}>Keywords</label>
            <textarea id={pasteId} rows={5} value={pasted} onChange={(event) => setPasted(event.target.value)} aria-describedby={`${pasteId}-hint`} />
            <p className="field-hint" id={`${pasteId}-hint`}>
              Paste a list, one keyword per line; keywords already listed are skipped.
            </p>
          </div>
          <div className="button-row">
            <button type="button" className="button" onClick={addPasted} disabled={pasted.trim() === ''}>
              Add keywords
            </button>
          </div>
          {rows.fields.length === 0 ? (
            <p className="empty">No keywords yet.</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table keyword-rows" aria-label="Keyword list">
                <thead>
                  <tr>
                    <th scope="col">Keyword</th>
                    <th scope="col">Weight</th>
                    <th scope="col">Active</th>
                    <th scope="col">
                      <span className="visually-hidden">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.fields.map((row, index) => {
                    const errors = form.formState.errors.keywords?.[index];
                    const message = errors?.text?.message ?? errors?.weight?.message;
                    return (
                      <tr key={row.id}>
                        <td data-label="Keyword" className="break">
                          {row.text}
                          {message ? <p className="field-error">{sentence(message)}</p> : null}
                        </td>
                        <td data-label="Weight">
                          <input
                            type="number"
                            inputMode="numeric"
                            min={1}
                            max={1000}
                            step={1}
                            aria-label={`Weight of ${row.text}`}
                            disabled={mode === 'sequential'}
                            aria-invalid={errors?.weight ? true : undefined}
                            {...form.register(`keywords.${index}.weight`)}
                          />
                        </td>
                        <td data-label="Active">
                          <input type="checkbox" aria-label={`${row.text} active`} {...form.register(`keywords.${index}.active`)} />
                        </td>
                        <td data-label="Remove">
                          <button type="button" className="button" aria-label={`Remove ${row.text}`} onClick={() => rows.remove(index)}>
                            Remove
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </fieldset>
        <NotesAndSave<KeywordSetFormValues> saving={save.isPending} />
      </form>
    </FormProvider>
  );
}

/** `/keyword-sets/new`. */
export function NewKeywordSetScreen() {
  return <NewRecordScreen collection="keyword-sets" what="keyword set" form={(onSaved) => <KeywordSetForm onSaved={onSaved} />} />;
}

/** `/keyword-sets/$keywordSetId/edit`; analysts read the list. */
export function EditKeywordSetScreen() {
  const { keywordSetId = '' } = useParams({ strict: false }) as { keywordSetId?: string };
  return (
    <EditRecordScreen<KeywordSet>
      collection="keyword-sets"
      what="keyword set"
      id={keywordSetId}
      form={(set, onSaved) => <KeywordSetForm keywordSet={set} onSaved={onSaved} />}
      facts={(set) => (
        <div className="table-scroll">
          <table className="data-table" aria-label="Keyword list">
            <thead>
              <tr>
                <th scope="col">Keyword</th>
                <th scope="col">Weight</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {set.keywords.map((keyword) => (
                <tr key={keyword.text}>
                  <td data-label="Keyword">{keyword.text}</td>
                  <td data-label="Weight">{keyword.weight}</td>
                  <td data-label="Active">{keyword.active ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    />
  );
}
