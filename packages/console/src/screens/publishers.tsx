import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { type ApiKey, type Balance, CreatePublisherParamsSchema, type CreatedApiKey, type Payment, type Publisher, UpdatePublisherParamsSchema } from '@waypost/schema';
import { FormProvider } from 'react-hook-form';
import { api, errorMessage, type Page } from '../api.js';
import { FormErrors, useAdminForm } from '../components/admin-form.js';
import { isAdmin } from '../components/admin-options.js';
import { AdminTable, adminColumns, FilterBar, Pagination, StatusBadge } from '../components/admin-table.js';
import { CopyField } from '../components/copy-field.js';
import { SelectField, TextField } from '../components/fields.js';
import { formatDate } from '../format.js';
import { formatAmount } from '../money.js';
import { canWrite, useCurrentSession } from '../session.js';
import { parsePublishersSearch, type PublishersSearch } from './admin-search.js';

const column = adminColumns<Publisher>();
const columns = [
  column.accessor('id', { header: 'ID', cell: (info) => <code>{info.getValue()}</code> }),
  column.accessor('name', {
    header: 'Name',
    cell: (info) => (
      <Link to="/publishers/$publisherId" params={{ publisherId: info.row.original.id }}>
        {info.getValue()}
      </Link>
    ),
  }),
  column.accessor('email', { header: 'Email', cell: (info) => info.getValue() ?? '—' }),
  column.accessor('status', { header: 'Status', cell: (info) => <StatusBadge status={info.getValue()} /> }),
  column.accessor('postbackUrl', { header: 'Postback', cell: (info) => (info.getValue() ? 'Set' : '—') }),
  column.accessor('createdAt', { header: 'Registration date', cell: (info) => formatDate(info.getValue()) }),
];

/** `/publishers`: the list, searchable by name or e-mail, with its filters in the URL. */
export function PublishersScreen() {
  const search = parsePublishersSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const navigate = useNavigate();
  const session = useCurrentSession();
  const setSearch = (next: PublishersSearch) => void navigate({ to: '/publishers', search: next as never });
  const publishers = useQuery({
    queryKey: ['publishers', 'list', search],
    queryFn: () => api.get<Page<Publisher>>('/v1/publishers', { q: search.q, status: search.status, cursor: search.cursor, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="screen" aria-labelledby="publishers-title">
      <header className="screen-header">
        <h1 id="publishers-title">Publishers</h1>
        {isAdmin(session) ? (
          <button type="button" className="button button-primary" onClick={() => void navigate({ to: '/publishers/new' })}>
            Add publisher
          </button>
        ) : null}
      </header>
      <FilterBar
        label="Filter publishers"
        search={search}
        onApply={setSearch}
        fields={[
          { name: 'q', label: 'Search', type: 'text', placeholder: 'Name or e-mail' },
          {
            name: 'status',
            label: 'Status',
            type: 'select',
            choices: [
              { value: '', label: 'All statuses' },
              { value: 'active', label: 'Active' },
              { value: 'paused', label: 'Paused' },
            ],
          },
        ]}
      />
      <AdminTable
        label="Publishers"
        noun="publishers"
        query={publishers}
        columns={columns}
        filtered={search.q !== undefined || search.status !== undefined}
        empty={`No publishers yet.${canWrite(session) ? ' Add the partners who send you traffic.' : ''}`}
      />
      <Pagination label="Publishers" cursor={search.cursor} nextCursor={publishers.data?.nextCursor} onPage={(cursor) => setSearch({ ...search, cursor })} />
    </section>
  );
}

interface PublisherFormValues {
  name: string;
  email: string;
  status: 'active' | 'paused';
  postbackUrl: string;
  postbackSecret: string;
}
const FIELDS = ['name', 'email', 'status', 'postbackUrl', 'postbackSecret'] as const;

/** The publisher form. Editing, a cleared e-mail or postback setting is sent as null: the server removes it. */
function PublisherForm({ publisher, onSaved }: { publisher?: Publisher; onSaved: (saved: Publisher) => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { form, save, onSubmit, formErrors } = useAdminForm<PublisherFormValues, Publisher>({
    schema: publisher ? UpdatePublisherParamsSchema : CreatePublisherParamsSchema,
    defaultValues: {
      name: publisher?.name ?? '',
      email: publisher?.email ?? '',
      status: publisher?.status ?? 'active',
      postbackUrl: publisher?.postbackUrl ?? '',
      postbackSecret: publisher?.postbackSecret ?? '',
    },
    fields: FIELDS,
    submit: (values) =>
      publisher
        ? api.patch<Publisher>(`/v1/publishers/${encodeURIComponent(publisher.id)}`, {
            ...values,
            email: values.email ?? null,
            postbackUrl: values.postbackUrl ?? null,
            postbackSecret: values.postbackSecret ?? null,
          })
        : api.post<Publisher>('/v1/publishers', values),
    onSaved: async (saved) => {
      queryClient.setQueryData(['publisher', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['publishers'] });
      onSaved(saved);
    },
  });
  return (
    <FormProvider {...form}>
      <form className="offer-form" onSubmit={onSubmit} noValidate aria-label={publisher ? `Edit ${publisher.name}` : 'New publisher'}>
        <FormErrors what="The publisher was not saved." messages={formErrors} />
        <fieldset>
          <legend>Details</legend>
          <TextField<PublisherFormValues> name="name" label="Publisher name" autoComplete="off" />
          <TextField<PublisherFormValues> name="email" label="Email" type="email" inputMode="email" autoComplete="off" />
          <SelectField<PublisherFormValues>
            name="status"
            label="Publisher status"
            choices={[
              { value: 'active', label: 'Active' },
              { value: 'paused', label: 'Paused' },
            ]}
          />
        </fieldset>
        <fieldset>
          <legend>Postback</legend>
          <TextField<PublisherFormValues>
            name="postbackUrl"
            label="Postback URL"
            type="url"
            inputMode="url"
            hint="The publisher's own tracker, called on each conversion. Macros such as {click_id}, {payout} and {status} fill its path and query."
          />
          <TextField<PublisherFormValues> name="postbackSecret" label="Postback secret" autoComplete="off" hint="At least 16 characters; signs each call (X-Waypost-Signature)." />
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            Save
          </button>
          <button type="button" className="button" onClick={() => void navigate({ to: publisher ? '/publishers/$publisherId' : '/publishers', params: publisher ? { publisherId: publisher.id } : {} } as never)}>
            Cancel
          </button>
        </div>
      </form>
    </FormProvider>
  );
}

/** `/publishers/new`. */
export function NewPublisherScreen() {
  const session = useCurrentSession();
  const navigate = useNavigate();
  return (
    <section className="screen" aria-labelledby="new-publisher-title">
      <h1 id="new-publisher-title">Add publisher</h1>
      {isAdmin(session) ? (
        <PublisherForm onSaved={(saved) => void navigate({ to: '/publishers/$publisherId', params: { publisherId: saved.id } })} />
      ) : (
        <p role="alert">Only owners and admins add publishers.</p>
      )}
    </section>
  );
}

/** `/publishers/$publisherId`: the publisher's details, balance, API keys and payments; owners and admins edit it. */
export function PublisherScreen() {
  const { publisherId = '' } = useParams({ strict: false }) as { publisherId?: string };
  const session = useCurrentSession();
  const publisher = useQuery({
    queryKey: ['publisher', publisherId],
    queryFn: () => api.get<Publisher>(`/v1/publishers/${encodeURIComponent(publisherId)}`),
  });
  if (publisher.isPending) return <p role="status">Loading the publisher…</p>;
  if (publisher.isError) return <p role="alert">The publisher could not be loaded: {errorMessage(publisher.error)}</p>;
  const data = publisher.data;
  return (
    <section className="screen" aria-labelledby="publisher-title">
      <p className="breadcrumb">
        <Link to="/publishers">Publishers</Link>
      </p>
      <header className="screen-header">
        <h1 id="publisher-title">{data.name}</h1>
        <StatusBadge status={data.status} />
      </header>
      <dl className="facts">
        <div>
          <dt>ID</dt>
          <dd>
            <code>{data.id}</code>
          </dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{data.email ?? '—'}</dd>
        </div>
        <div className="facts-wide">
          <dt>Postback URL</dt>
          <dd className="break">{data.postbackUrl ?? 'None'}</dd>
        </div>
      </dl>
      <PublisherBalance publisher={data} />
      {isAdmin(session) ? <PublisherKeys publisher={data} /> : null}
      {isAdmin(session) ? (
        <section className="panel" aria-labelledby="edit-publisher-title">
          <h2 id="edit-publisher-title">Edit publisher</h2>
          <PublisherForm publisher={data} onSaved={() => {}} />
        </section>
      ) : null}
    </section>
  );
}

/** What the publisher has earned by stage, and the button that gathers what is approved into a payment. */
function PublisherBalance({ publisher }: { publisher: Publisher }) {
  const session = useCurrentSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const balance = useQuery({
    queryKey: ['publisher', publisher.id, 'balance'],
    queryFn: () => api.get<Balance>(`/v1/publishers/${encodeURIComponent(publisher.id)}/balance`),
  });
  const pay = useMutation({
    mutationFn: () => api.post<Payment>('/v1/payments', { publisherId: publisher.id }),
    onSuccess: async (payment) => {
      await queryClient.invalidateQueries({ queryKey: ['payments'] });
      await queryClient.invalidateQueries({ queryKey: ['publisher', publisher.id, 'balance'] });
      void navigate({ to: '/payments/$paymentId', params: { paymentId: payment.id } });
    },
  });
  return (
    <section className="panel" aria-labelledby="balance-title">
      <h2 id="balance-title">Balance</h2>
      {balance.isPending ? (
        <p role="status">Loading the balance…</p>
      ) : balance.isError ? (
        <p role="alert">The balance could not be loaded: {errorMessage(balance.error)}</p>
      ) : (
        <dl className="facts">
          {(['accruing', 'pending', 'approved', 'paid'] as const).map((stage) => (
            <div key={stage}>
              <dt>{{ accruing: 'Accruing (hold period)', pending: 'Pending approval', approved: 'Approved, unpaid', paid: 'Paid' }[stage]}</dt>
              <dd>{formatAmount(balance.data[stage], balance.data.currency)}</dd>
            </div>
          ))}
        </dl>
      )}
      {isAdmin(session) ? (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => pay.mutate()} disabled={pay.isPending}>
            Create payment
          </button>
          <Link to="/payments" search={{ publisherId: publisher.id } as never}>
            Payments of this publisher
          </Link>
          {pay.isError ? <p role="alert">{errorMessage(pay.error)}</p> : null}
        </div>
      ) : null}
    </section>
  );
}

/** The publisher's API keys: a new key is shown once, in full; the list shows only each key's first characters. */
function PublisherKeys({ publisher }: { publisher: Publisher }) {
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: () => api.get<Page<ApiKey>>('/v1/api-keys', { limit: 500 }),
  });
  const create = useMutation({
    mutationFn: () => api.post<CreatedApiKey>('/v1/api-keys', { role: 'publisher', publisherId: publisher.id, name: `${publisher.name} key` }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const mine = (keys.data?.data ?? []).filter((key) => key.publisherId === publisher.id && key.revokedAt === null);
  return (
    <section className="panel" aria-labelledby="publisher-keys-title">
      <h2 id="publisher-keys-title">API keys</h2>
      {keys.isError ? <p role="alert">The keys could not be loaded: {errorMessage(keys.error)}</p> : null}
      {mine.length === 0 && !keys.isPending ? <p>No active key. A publisher key reads this publisher's offers, conversions and payments.</p> : null}
      <ul>
        {mine.map((key) => (
          <li key={key.id}>
            <code>{key.prefix}…</code> {key.name ?? ''} · created {formatDate(key.createdAt)}
          </li>
        ))}
      </ul>
      {create.data ? (
        <CopyField label="New API key" value={create.data.key} buttonLabel="Copy API key" hint="Shown once: copy it now and give it to the publisher. Revoke keys under Settings." />
      ) : null}
      <button type="button" className="button" onClick={() => create.mutate()} disabled={create.isPending}>
        Create publisher key
      </button>
      {create.isError ? <p role="alert">{errorMessage(create.error)}</p> : null}
    </section>
  );
}
