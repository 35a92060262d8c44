import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { Link, useParams } from '@tanstack/react-router';
import { CreateTrafficSourceParamsSchema, type TrafficSource, type TrafficSourceField } from '@waypost/schema';
import { useMemo, useState } from 'react';
import { FormProvider, type Path, useFieldArray, useForm } from 'react-hook-form';
import { api, errorMessage, isApiRequestError, request } from '../api.js';
import { SelectField, TextField } from '../components/fields.js';
import { placeIssues } from '../form-errors.js';
import { formatDate } from '../format.js';
import { useCurrentSession } from '../session.js';
import { EditRecordScreen, FormErrors, idPath, NewRecordScreen, NotesAndSave, RecordListScreen, schemaResolver, trackerFeatures } from './campaign-shared.js';

const column = createColumnHelper<typeof trackerFeatures, TrafficSource>();
const columns = column.columns([
  column.accessor('name', {
    header: 'Name',
    cell: (info) => (
      <Link to="/traffic-sources/$sourceId/edit" params={{ sourceId: info.row.original.id }}>
        {info.getValue()}
      </Link>
    ),
  }),
  column.accessor('id', { header: 'ID', cell: (info) => <code>{info.getValue()}</code> }),
  column.display({ id: 'params', header: 'Parameters', cell: (info) => info.row.original.params.map((param) => `${param.param} → ${FIELD_LABELS[param.field]}`).join(', ') || '—' }),
  column.display({ id: 'postback', header: 'Postback', cell: (info) => (info.row.original.postbackUrl ? 'Yes' : 'No') }),
  column.accessor('createdAt', { header: 'Created', cell: (info) => (info.row.original.archivedAt ? `Archived ${formatDate(info.row.original.archivedAt)}` : formatDate(info.getValue())) }),
]);

/** `/traffic-sources`. */
export function TrafficSourcesScreen() {
  return (
    <RecordListScreen<TrafficSource>
      collection="traffic-sources"
      title="Traffic sources"
      columns={columns}
      emptyHint="A traffic source names the parameters an ad network fills in a campaign URL."
      addLabel="Add traffic source"
    />
  );
}

export const FIELD_LABELS: Record<TrafficSourceField, string> = {
  externalId: 'External ID (the source’s click ID)',
  cost: 'Cost',
  keyword: 'Keyword',
  creativeId: 'Creative ID',
  sub1: 'Sub 1',
  sub2: 'Sub 2',
  sub3: 'Sub 3',
  sub4: 'Sub 4',
  sub5: 'Sub 5',
};
const FIELD_CHOICES = Object.entries(FIELD_LABELS).map(([value, label]) => ({ value, label }));

export interface TrafficSourceFormValues {
  name: string;
  params: { field: TrafficSourceField; param: string; macro: string }[];
  postbackUrl: string;
  notes: string;
  workspaceId: string;
}

const blank = (value: string) => (value.trim() === '' ? null : value.trim());

export function toTrafficSourceParams(values: TrafficSourceFormValues) {
  return {
    name: values.name,
    params: values.params.map((row) => ({ field: row.field, param: row.param, macro: blank(row.macro) })),
    postbackUrl: blank(values.postbackUrl),
    notes: blank(values.notes),
    ...(values.workspaceId ? { workspaceId: values.workspaceId } : {}),
  };
}

const fieldsOf = (values: TrafficSourceFormValues) => [
  'name',
  'postbackUrl',
  'notes',
  'workspaceId',
  'params',
  ...values.params.flatMap((_, index) => ['field', 'param', 'macro'].map((part) => `params.${index}.${part}`)),
];

/** The traffic source form: its parameter rows (field, parameter, the source's macro) and its conversion postback. */
export function TrafficSourceForm({ source, onSaved }: { source?: TrafficSource; onSaved: (source: TrafficSource) => void }) {
  const queryClient = useQueryClient();
  const session = useCurrentSession();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const resolver = useMemo(() => schemaResolver(CreateTrafficSourceParamsSchema, toTrafficSourceParams, fieldsOf, setFormErrors), []);
  const form = useForm<TrafficSourceFormValues>({
    defaultValues: source
      ? {
          name: source.name,
          params: source.params.map((param) => ({ field: param.field, param: param.param, macro: param.macro ?? '' })),
          postbackUrl: source.postbackUrl ?? '',
          notes: source.notes ?? '',
          workspaceId: source.workspaceId,
        }
      : { name: '', params: [{ field: 'externalId', param: 'clickid', macro: '' }], postbackUrl: '', notes: '', workspaceId: '' },
    resolver,
  });
  const params = useFieldArray({ control: form.control, name: 'params' });
  const save = useMutation({
    mutationFn: (values: TrafficSourceFormValues) =>
      source
        ? request<TrafficSource>('PUT', idPath('/v1/traffic-sources', source.id), { body: toTrafficSourceParams(values) })
        : api.post<TrafficSource>('/v1/traffic-sources', toTrafficSourceParams(values)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['traffic-sources'] });
      onSaved(saved);
    },
    onError: (error) => {
      const placed = isApiRequestError(error) ? placeIssues(error.issues, fieldsOf(form.getValues())) : { fieldErrors: [], formErrors: [] };
      for (const { field, message } of placed.fieldErrors) form.setError(field as Path<TrafficSourceFormValues>, { type: 'server', message }, { shouldFocus: true });
      setFormErrors(placed.fieldErrors.length === 0 && placed.formErrors.length === 0 ? [errorMessage(error)] : placed.formErrors);
    },
  });
  return (
    <FormProvider {...form}>
      <form className="offer-form" noValidate aria-label={source ? `Edit ${source.name}` : 'New traffic source'} onSubmit={form.handleSubmit((values) => save.mutate(values))}>
        <FormErrors what="traffic source" messages={formErrors} />
        <fieldset>
          <legend>Details</legend>
          <TextField<TrafficSourceFormValues> name="name" label="Traffic source name" autoComplete="off" />
          {session.workspaces.length > 1 ? (
            <SelectField<TrafficSourceFormValues>
              name="workspaceId"
              label="Workspace"
              choices={[...(source ? [] : [{ value: '', label: 'Default workspace' }]), ...session.workspaces.map((workspace) => ({ value: workspace.id, label: workspace.name }))]}
            />
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Parameters</legend>
          <p className="field-hint">What the source fills in the campaign URL, such as zoneid={'{zoneid}'}. The macro is printed as-is in the campaign URL.</p>
          {params.fields.map((row, index) => (
            <div className="geo-row" key={row.id} role="group" aria-label={`Parameter ${index + 1}`}>
              <SelectField<TrafficSourceFormValues> name={`params.${index}.field`} label={`Field (parameter ${index + 1})`} choices={FIELD_CHOICES} />
              <TextField<TrafficSourceFormValues> name={`params.${index}.param`} label={`URL parameter (parameter ${index + 1})`} placeholder="zoneid" />
              <TextField<TrafficSourceFormValues> name={`params.${index}.macro`} label={`Macro (parameter ${index + 1})`} placeholder="{zoneid}" />
              <button type="button" className="button" onClick={() => params.remove(index)}>
                Remove parameter {index + 1}
              </button>
            </div>
          ))}
          <div className="form-actions-inline">
            <button type="button" className="button" onClick={() => params.append({ field: FREE_FIELD(form.getValues().params), param: '', macro: '' })}>
              Add parameter
            </button>
          </div>
        </fieldset>
        <fieldset>
          <legend>Postback</legend>
          <TextField<TrafficSourceFormValues>
            name="postbackUrl"
            label="Postback URL"
            type="url"
            inputMode="url"
            hint="Called on each accepted conversion of its clicks, such as https://ads.example/pb?clickid={external_id}&payout={revenue}. Leave empty for none."
          />
        </fieldset>
        <NotesAndSave<TrafficSourceFormValues> saving={save.isPending} />
      </form>
    </FormProvider>
  );
}

/** A new row starts on a field no row maps yet, since each field is filled from one parameter. */
function FREE_FIELD(rows: { field: TrafficSourceField }[]): TrafficSourceField {
  const used = new Set(rows.map((row) => row.field));
  return (Object.keys(FIELD_LABELS) as TrafficSourceField[]).find((field) => !used.has(field)) ?? 'sub1';
}

/** `/traffic-sources/new`. */
export function NewTrafficSourceScreen() {
  return <NewRecordScreen collection="traffic-sources" what="traffic source" form={(onSaved) => <TrafficSourceForm onSaved={onSaved} />} />;
}

/** `/traffic-sources/$sourceId/edit`. */
export function EditTrafficSourceScreen() {
  const { sourceId = '' } = useParams({ strict: false }) as { sourceId?: string };
  return (
    <EditRecordScreen<TrafficSource>
      collection="traffic-sources"
      what="traffic source"
      id={sourceId}
      form={(source, onSaved) => <TrafficSourceForm source={source} onSaved={onSaved} />}
      facts={(source) => (
        <dl className="facts">
          <div>
            <dt>Parameters</dt>
            <dd>{source.params.map((param) => `${param.param}=${param.macro ?? ''} → ${FIELD_LABELS[param.field]}`).join(', ') || '—'}</dd>
          </div>
          <div className="facts-wide">
            <dt>Postback URL</dt>
            <dd className="break">{source.postbackUrl ?? '—'}</dd>
          </div>
        </dl>
      )}
    />
  );
}
