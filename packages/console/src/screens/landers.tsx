import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { Link, useParams } from '@tanstack/react-router';
import { CreateLanderParamsSchema, type Lander } from '@waypost/schema';
import { useMemo, useState } from 'react';
import { FormProvider, type Path, useForm } from 'react-hook-form';
import { api, errorMessage, isApiRequestError, request } from '../api.js';
import { SelectField, TextField } from '../components/fields.js';
import { placeIssues } from '../form-errors.js';
import { formatDate } from '../format.js';
import { useCurrentSession } from '../session.js';
import { ArchivePanel } from './archive-upload.js';
import { EditRecordScreen, FormErrors, idPath, NewRecordScreen, NotesAndSave, RecordListScreen, schemaResolver, trackerFeatures } from './campaign-shared.js';

const column = createColumnHelper<typeof trackerFeatures, Lander>();
const columns = column.columns([
  column.accessor('name', {
    header: 'Name',
    cell: (info) => (
      <Link to="/landers/$landerId/edit" params={{ landerId: info.row.original.id }}>
        {info.getValue()}
      </Link>
    ),
  }),
  column.accessor('id', { header: 'ID', cell: (info) => <code>{info.getValue()}</code> }),
  column.accessor('url', { header: 'URL', cell: (info) => <span className="break">{info.getValue() ?? (info.row.original.archive ? 'Uploaded page' : '—')}</span> }),
  column.accessor('offers', { header: 'Offer slots', cell: (info) => info.getValue() }),
  column.accessor('createdAt', { header: 'Created', cell: (info) => (info.row.original.archivedAt ? `Archived ${formatDate(info.row.original.archivedAt)}` : formatDate(info.getValue())) }),
]);

/** `/landers`. */
export function LandersScreen() {
  return (
    <RecordListScreen<Lander>
      collection="landers"
      title="Landers"
      columns={columns}
      emptyHint="A lander is the page a campaign shows before the offer."
      addLabel="Add lander"
    />
  );
}

export interface LanderFormValues {
  name: string;
  url: string;
  offers: string;
  notes: string;
  workspaceId: string;
}

const blank = (value: string) => (value.trim() === '' ? null : value.trim());

export function toLanderParams(values: LanderFormValues) {
  return {
    name: values.name,
    url: blank(values.url),
    offers: values.offers.trim() === '' ? undefined : Number(values.offers),
    notes: blank(values.notes),
    ...(values.workspaceId ? { workspaceId: values.workspaceId } : {}),
  };
}

const FIELDS = ['name', 'url', 'offers', 'notes', 'workspaceId'];

/** The lander form: the page's URL (with `{click_url}` for its call to action) and how many offer links it has. */
export function LanderForm({ lander, onSaved }: { lander?: Lander; onSaved: (lander: Lander) => void }) {
  const queryClient = useQueryClient();
  const session = useCurrentSession();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const resolver = useMemo(() => schemaResolver(CreateLanderParamsSchema, toLanderParams, () => FIELDS, setFormErrors), []);
  const form = useForm<LanderFormValues>({
    defaultValues: lander
      ? { name: lander.name, url: lander.url ?? '', offers: String(lander.offers), notes: lander.notes ?? '', workspaceId: lander.workspaceId }
      : { name: '', url: '', offers: '1', notes: '', workspaceId: '' },
    resolver,
  });
  const save = useMutation({
    mutationFn: (values: LanderFormValues) =>
      lander ? request<Lander>('PATCH', idPath('/v1/landers', lander.id), { body: toLanderParams(values) }) : api.post<Lander>('/v1/landers', toLanderParams(values)),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['landers'] });
      onSaved(saved);
    },
    onError: (error) => {
      const placed = isApiRequestError(error) ? placeIssues(error.issues, FIELDS) : { fieldErrors: [], formErrors: [] };
      for (const { field, message } of placed.fieldErrors) form.setError(field as Path<LanderFormValues>, { type: 'server', message }, { shouldFocus: true });
      setFormErrors(placed.fieldErrors.length === 0 && placed.formErrors.length === 0 ? [errorMessage(error)] : placed.formErrors);
    },
  });
  return (
    <FormProvider {...form}>
      <form className="offer-form" noValidate aria-label={lander ? `Edit ${lander.name}` : 'New lander'} onSubmit={form.handleSubmit((values) => save.mutate(values))}>
        <FormErrors what="lander" messages={formErrors} />
        <fieldset>
          <legend>Details</legend>
          <TextField<LanderFormValues> name="name" label="Lander name" autoComplete="off" />
          <TextField<LanderFormValues>
            name="url"
            label="Lander URL"
            type="url"
            inputMode="url"
            hint="The page shown before the offer. Its call to action links to the campaign's click URL, or put {click_url} in this URL for the page to read."
          />
          <TextField<LanderFormValues> name="offers" label="Offer slots" type="number" inputMode="numeric" min={1} step={1} hint="How many offer links the page has (1 to 10): {click_url:1} … {click_url:N}." />
          {session.workspaces.length > 1 ? (
            <SelectField<LanderFormValues>
              name="workspaceId"
              label="Workspace"
              choices={[...(lander ? [] : [{ value: '', label: 'Default workspace' }]), ...session.workspaces.map((workspace) => ({ value: workspace.id, label: workspace.name }))]}
            />
          ) : null}
        </fieldset>
        <NotesAndSave<LanderFormValues> saving={save.isPending} />
      </form>
    </FormProvider>
  );
}

/** `/landers/new`. */
export function NewLanderScreen() {
  return <NewRecordScreen collection="landers" what="lander" form={(onSaved) => <LanderForm onSaved={onSaved} />} />;
}

/** `/landers/$landerId/edit`. */
export function EditLanderScreen() {
  const { landerId = '' } = useParams({ strict: false }) as { landerId?: string };
  return (
    <EditRecordScreen<Lander>
      collection="landers"
      what="lander"
      id={landerId}
      form={(lander, onSaved) => <LanderForm lander={lander} onSaved={onSaved} />}
      facts={(lander) => (
        <dl className="facts">
          <div className="facts-wide">
            <dt>Lander URL</dt>
            <dd className="break">{lander.url ?? '—'}</dd>
          </div>
          <div>
            <dt>Offer slots</dt>
            <dd>{lander.offers}</dd>
          </div>
        </dl>
      )}
      after={(lander) => <ArchivePanel owner={{ kind: 'lander', id: lander.id, archive: lander.archive }} />}
    />
  );
}
