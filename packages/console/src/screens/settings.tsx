import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApiKey,
  CreateApiKeyParamsSchema,
  type CreatedApiKey,
  CreateUserParamsSchema,
  CreateWorkspaceParamsSchema,
  UpdateUserParamsSchema,
  type FxRates,
  type InvitedUser,
  type User,
  type Workspace,
} from '@waypost/schema';
import { useId, useState } from 'react';
import { FormProvider, useFormContext, useWatch } from 'react-hook-form';
import { api, errorMessage, isApiRequestError, type Page, request } from '../api.js';
import { FormErrors, useAdminForm } from '../components/admin-form.js';
import { isAdmin, usePublisherOptions } from '../components/admin-options.js';
import { AdminTable, adminColumns, StatusBadge } from '../components/admin-table.js';
import { CopyField } from '../components/copy-field.js';
import { RowAction } from '../components/row-action.js';
import { SelectField, TextField } from '../components/fields.js';
import { formatDate, formatDateTime } from '../format.js';
import { SESSION_KEY, useCurrentSession } from '../session.js';

/** `/settings`: FX rates, API keys, users and invites, workspaces and the mail server. */
export function SettingsScreen() {
  const session = useCurrentSession();
  const admin = isAdmin(session);
  return (
    <section className="screen" aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      {admin ? null : <p className="alert">Only owners and admins manage FX rates, API keys, users and the mail server; your role sees the workspaces.</p>}
      {admin ? <FxRatesSection /> : null}
      {admin ? <ApiKeysSection /> : null}
      {admin ? <UsersSection /> : null}
      <WorkspacesSection />
      {admin ? <SmtpSection /> : null}
    </section>
  );
}

function FxRatesSection() {
  const queryClient = useQueryClient();
  const currencyId = useId();
  const rateId = useId();
  const rates = useQuery({ queryKey: ['fx-rates'], queryFn: () => api.get<FxRates>('/v1/fx-rates') });
  const [currency, setCurrency] = useState('');
  const [rate, setRate] = useState('');
  const save = useMutation({
    mutationFn: () => request<FxRates>('PUT', '/v1/fx-rates', { body: { rates: { [currency.trim().toUpperCase()]: rate.trim() } } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['fx-rates'], saved);
      setCurrency('');
      setRate('');
    },
  });
  const column = adminColumns<FxRates['data'][number]>();
  const base = rates.data?.base ?? '';
  const columns = [
    column.accessor('currency', { header: 'Currency', cell: (info) => info.getValue() }),
    column.accessor('rate', { header: `Rate (${base || 'account currency'} per unit)`, cell: (info) => info.getValue() }),
    column.accessor('updatedAt', { header: 'Updated', cell: (info) => formatDateTime(info.getValue()) }),
  ];
  // The server names the rate's path (`rates.EUR`): the message belongs under the inputs, whichever of the two it is.
  const saveError = save.isError ? (isApiRequestError(save.error) && save.error.issues.length > 0 ? save.error.issues.map((issue) => `${issue.path.replace(/^rates\.?/, '') || 'Rate'}: ${issue.message}`).join('; ') : errorMessage(save.error)) : null;
  return (
    <section className="panel" aria-labelledby="fx-title">
      <h2 id="fx-title">FX rates</h2>
      <p className="field-hint">Conversions in another currency than the account's ({base || '…'}) are priced with these; a conversion waiting for a rate is priced when it is saved.</p>
      <AdminTable label="FX rates" noun="FX rates" query={rates} columns={columns} rowId={(row) => row.currency} empty="No rates yet: only the account currency is priced." />
      <form
        className="filters"
        aria-label="Set an FX rate"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={currencyId}>Currency</label>
          <input id={currencyId} value={currency} maxLength={3} placeholder="EUR" autoComplete="off" onChange={(event) => setCurrency(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={rateId}>Rate</label>
          <input id={rateId} value={rate} inputMode="decimal" placeholder="1.08" autoComplete="off" onChange={(event) => setRate(event.target.value)} />
        </div>
        <button type="submit" className="button" disabled={save.isPending || !currency.trim() || !rate.trim()}>
          Save rate
        </button>
        {saveError ? (
          <p role="alert" className="field-error">
            {saveError}
          </p>
        ) : null}
      </form>
    </section>
  );
}

interface ApiKeyFormValues {
  name: string;
  role: 'admin' | 'publisher';
  publisherId: string;
  workspaceId: string;
}

function ApiKeysSection() {
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const publishers = usePublisherOptions();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => api.get<Page<ApiKey>>('/v1/api-keys', { limit: 500 }) });
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const { form, save, onSubmit, formErrors } = useAdminForm<ApiKeyFormValues, CreatedApiKey>({
    schema: CreateApiKeyParamsSchema,
    defaultValues: { name: '', role: 'admin', publisherId: '', workspaceId: '' },
    fields: ['name', 'role', 'publisherId', 'workspaceId'],
    submit: (values) => api.post<CreatedApiKey>('/v1/api-keys', values),
    onSaved: async (key) => {
      setCreated(key);
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const role = useWatch({ control: form.control, name: 'role' });
  const workspaceName = (id: string | null) => (id ? (session.workspaces.find((workspace) => workspace.id === id)?.name ?? id) : 'All');
  const column = adminColumns<ApiKey>();
  const columns = [
    column.accessor('name', { header: 'Name', cell: (info) => info.getValue() ?? '—' }),
    column.accessor('prefix', { header: 'Key', cell: (info) => <code>{info.getValue()}…</code> }),
    column.accessor('role', { header: 'Role', cell: (info) => (info.getValue() === 'admin' ? 'Admin' : `Publisher: ${publishers.nameOf(info.row.original.publisherId)}`) }),
    column.accessor('workspaceId', { header: 'Workspace', cell: (info) => (info.row.original.role === 'admin' ? workspaceName(info.getValue()) : '—') }),
    column.accessor('createdAt', { header: 'Created', cell: (info) => formatDate(info.getValue()) }),
    column.accessor('revokedAt', { header: 'Status', cell: (info) => (info.getValue() ? `Revoked ${formatDate(info.getValue())}` : <StatusBadge status="active" />) }),
    column.display({ id: 'actions', header: 'Actions', cell: (info) => (info.row.original.revokedAt ? null : <RevokeKey apiKey={info.row.original} />) }),
  ];
  return (
    <section className="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <AdminTable label="API keys" noun="API keys" query={keys} columns={columns} empty="No API keys yet." />
      {created ? (
        <div className="alert" role="status">
          <CopyField label="New API key" value={created.key} buttonLabel="Copy API key" hint="This is the only time the key is shown: copy it now. The list keeps only its first characters." />
          <button type="button" className="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      ) : null}
      <FormProvider {...form}>
        <form className="offer-form" onSubmit={onSubmit} noValidate aria-label="Create API key">
          <h3>Create API key</h3>
          <FormErrors what="The key was not created." messages={formErrors} />
          <TextField<ApiKeyFormValues> name="name" label="Key name" autoComplete="off" hint="What uses it, such as “checkout server”." />
          <SelectField<ApiKeyFormValues>
            name="role"
            label="Key role"
            choices={[
              { value: 'admin', label: 'Admin: the whole API' },
              { value: 'publisher', label: "Publisher: one publisher's offers and results" },
            ]}
          />
          {role === 'publisher' ? (
            <SelectField<ApiKeyFormValues>
              name="publisherId"
              label="Publisher"
              choices={[{ value: '', label: 'Choose a publisher' }, ...publishers.list.map((publisher) => ({ value: publisher.id, label: publisher.name }))]}
            />
          ) : (
            <SelectField<ApiKeyFormValues>
              name="workspaceId"
              label="Workspace"
              choices={[{ value: '', label: 'Every workspace' }, ...session.workspaces.map((workspace) => ({ value: workspace.id, label: workspace.name }))]}
            />
          )}
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={save.isPending}>
              Create API key
            </button>
          </div>
        </form>
      </FormProvider>
    </section>
  );
}

function RevokeKey({ apiKey }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const label = apiKey.name ?? apiKey.prefix;
  return (
    <RowAction
      text="Revoke"
      name={`Revoke ${label}`}
      confirm={{ explanation: 'Requests with this key stop working at once.', button: 'Revoke key' }}
      danger
      run={() => api.delete(`/v1/api-keys/${encodeURIComponent(apiKey.id)}`)}
      onDone={() => queryClient.invalidateQueries({ queryKey: ['api-keys'] })}
    />
  );
}

/** What an admin may do to a user: disable or enable it, send a new invite link, delete it. Not to oneself. */
function UserActions({ user, onInvited, onEdit }: { user: User; onInvited: (invited: InvitedUser) => void; onEdit: (user: User) => void }) {
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  if (user.id === session.user.id) return null;
  const path = `/v1/users/${encodeURIComponent(user.id)}`;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });
  return (
    <div className="button-row">
      <button type="button" className="button" aria-label={`Edit ${user.email}`} onClick={() => onEdit(user)}>
        Edit
      </button>
      {user.status === 'disabled' ? (
        <RowAction text="Enable" name={`Enable ${user.email}`} run={() => api.patch(path, { disabled: false })} onDone={refresh} />
      ) : (
        <RowAction
          text="Disable"
          name={`Disable ${user.email}`}
          confirm={{ explanation: 'Signed out everywhere at once, and no sign-in until enabled again.', button: 'Disable user' }}
          danger
          run={() => api.patch(path, { disabled: true })}
          onDone={refresh}
        />
      )}
      {user.status === 'invited' ? (
        <RowAction
          text="New invite link"
          name={`New invite link for ${user.email}`}
          run={() => api.post<InvitedUser>(`${path}/invite`, {})}
          onDone={async (invited) => {
            onInvited(invited as InvitedUser);
            await refresh();
          }}
        />
      ) : null}
      <RowAction
        text="Delete"
        name={`Delete ${user.email}`}
        confirm={{ explanation: 'The user, its sessions and its links go; what it changed stays in the audit log.', button: 'Delete user' }}
        danger
        run={() => api.delete(path)}
        onDone={refresh}
      />
    </div>
  );
}

interface InviteFormValues {
  email: string;
  name: string;
  role: User['role'];
  publisherId: string;
  workspaceIds: string[];
}

/** The role, and the publisher or the workspaces it needs: the same inputs in the invite and the edit form. */
function UserAccessFields() {
  const session = useCurrentSession();
  const publishers = usePublisherOptions();
  const form = useFormContext<InviteFormValues>();
  const role = useWatch({ control: form.control, name: 'role' });
  const workspacesId = useId();
  const roles: { value: User['role']; label: string }[] = [
    ...(session.user.role === 'owner' ? [{ value: 'owner' as const, label: 'Owner' }] : []),
    { value: 'admin', label: 'Admin: everything but owners' },
    { value: 'member', label: 'Member: reads and writes in its workspaces' },
    { value: 'analyst', label: 'Analyst: reads its workspaces' },
    { value: 'publisher', label: "Publisher: the publisher's portal" },
  ];
  return (
    <>
      <SelectField<InviteFormValues> name="role" label="Role" choices={roles} />
      {role === 'publisher' ? (
        <SelectField<InviteFormValues>
          name="publisherId"
          label="Publisher"
          choices={[{ value: '', label: 'Choose a publisher' }, ...publishers.list.map((publisher) => ({ value: publisher.id, label: publisher.name }))]}
        />
      ) : null}
      {role === 'member' || role === 'analyst' ? (
        <fieldset aria-describedby={`${workspacesId}-hint`}>
          <legend>Workspaces</legend>
          <p className="field-hint" id={`${workspacesId}-hint`}>
            Besides every public workspace.
          </p>
          {session.workspaces.map((workspace) => (
            <div className="field field-checkbox" key={workspace.id}>
              <input type="checkbox" id={`${workspacesId}-${workspace.id}`} value={workspace.id} {...form.register('workspaceIds')} />
              <label htmlFor={`${workspacesId}-${workspace.id}`}>{workspace.name}</label>
            </div>
          ))}
        </fieldset>
      ) : null}
    </>
  );
}

/** The access fields as a body: a publisher only for a publisher user, workspaces only for members and analysts. */
const accessBody = (values: Pick<InviteFormValues, 'role' | 'publisherId' | 'workspaceIds'>) => ({
  role: values.role,
  ...(values.role === 'publisher' ? { publisherId: values.publisherId } : {}),
  workspaceIds: values.role === 'member' || values.role === 'analyst' ? (values.workspaceIds ?? []) : [],
});

/** `PATCH /v1/users/:id` from the edit form: a blank name clears it, and only a publisher user keeps a publisher. */
const editBody = (values: InviteFormValues) => ({
  name: values.name ? values.name : null,
  ...accessBody(values),
  ...(values.role === 'publisher' ? {} : { publisherId: null }),
});

/** A user's name, role and access, changed in place under the users table. */
function EditUser({ user, onDone }: { user: User; onDone: () => void }) {
  const queryClient = useQueryClient();
  const { form, save, onSubmit, formErrors } = useAdminForm<InviteFormValues, User>({
    schema: UpdateUserParamsSchema,
    defaultValues: { email: user.email, name: user.name ?? '', role: user.role, publisherId: user.publisherId ?? '', workspaceIds: user.workspaceIds },
    fields: ['name', 'role', 'publisherId', 'workspaceIds'],
    toBody: editBody,
    submit: (values) => api.patch<User>(`/v1/users/${encodeURIComponent(user.id)}`, editBody(values)),
    onSaved: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onDone();
    },
  });
  return (
    <FormProvider {...form}>
      <form className="offer-form" onSubmit={onSubmit} noValidate aria-label={`Edit ${user.email}`}>
        <h3>Edit {user.email}</h3>
        <FormErrors what="The user was not changed." messages={formErrors} />
        <TextField<InviteFormValues> name="name" label="Name" autoComplete="off" />
        <UserAccessFields />
        <p className="field-hint">A new role or publisher signs the user out everywhere.</p>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            Save user
          </button>
          <button type="button" className="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
    </FormProvider>
  );
}

function UsersSection() {
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const publishers = usePublisherOptions();
  const users = useQuery({ queryKey: ['users'], queryFn: () => api.get<Page<User>>('/v1/users', { limit: 500 }) });
  const [invited, setInvited] = useState<InvitedUser | null>(null);
  const [editing, setEditing] = useState<User | null>(null);
  const { form, save, onSubmit, formErrors } = useAdminForm<InviteFormValues, InvitedUser>({
    schema: CreateUserParamsSchema,
    defaultValues: { email: '', name: '', role: 'member', publisherId: '', workspaceIds: [] },
    fields: ['email', 'name', 'role', 'publisherId', 'workspaceIds'],
    submit: (values) => api.post<InvitedUser>('/v1/users', { email: values.email, name: values.name, ...accessBody(values) }),
    onSaved: async (user) => {
      setInvited(user);
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const column = adminColumns<User>();
  const columns = [
    column.accessor('email', { header: 'Email', cell: (info) => info.getValue() }),
    column.accessor('name', { header: 'Name', cell: (info) => info.getValue() ?? '—' }),
    column.accessor('role', {
      header: 'Role',
      cell: (info) => `${info.getValue().charAt(0).toUpperCase()}${info.getValue().slice(1)}${info.row.original.publisherId ? ` (${publishers.nameOf(info.row.original.publisherId)})` : ''}`,
    }),
    column.accessor('status', { header: 'Status', cell: (info) => <StatusBadge status={info.getValue()} /> }),
    column.accessor('lastSignInAt', { header: 'Last sign-in', cell: (info) => (info.getValue() ? formatDateTime(info.getValue()!) : 'Never') }),
    column.display({ id: 'actions', header: 'Actions', cell: (info) => <UserActions user={info.row.original} onInvited={setInvited} onEdit={setEditing} /> }),
  ];
  return (
    <section className="panel" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <AdminTable label="Users" noun="users" query={users} columns={columns} empty="No users yet." />
      {editing ? <EditUser key={editing.id} user={editing} onDone={() => setEditing(null)} /> : null}
      {invited ? (
        <div className="alert" role="status">
          <p>
            {invited.email} is invited. Send them this link (valid until {formatDateTime(invited.inviteExpiresAt)}); it is also e-mailed when a mail server is set.
          </p>
          <CopyField label="Invite link" value={invited.inviteUrl} buttonLabel="Copy invite link" />
          <button type="button" className="button" onClick={() => setInvited(null)}>
            Done
          </button>
        </div>
      ) : null}
      <FormProvider {...form}>
        <form className="offer-form" onSubmit={onSubmit} noValidate aria-label="Invite user">
          <h3>Invite user</h3>
          <FormErrors what="The user was not invited." messages={formErrors} />
          <TextField<InviteFormValues> name="email" label="Email" type="email" inputMode="email" autoComplete="off" />
          <TextField<InviteFormValues> name="name" label="Name" autoComplete="off" />
          <UserAccessFields />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={save.isPending}>
              Invite user
            </button>
          </div>
        </form>
      </FormProvider>
    </section>
  );
}

interface WorkspaceFormValues {
  name: string;
  visibility: 'private' | 'public';
}

function WorkspacesSection() {
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const workspaces = useQuery({ queryKey: ['workspaces'], queryFn: () => api.get<Page<Workspace>>('/v1/workspaces', { limit: 500 }) });
  const { form, save, onSubmit, formErrors } = useAdminForm<WorkspaceFormValues, Workspace>({
    schema: CreateWorkspaceParamsSchema,
    defaultValues: { name: '', visibility: 'private' },
    fields: ['name', 'visibility'],
    submit: (values) => api.post<Workspace>('/v1/workspaces', values),
    onSaved: async () => {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: ['workspaces'] });
      // The session lists the workspaces the filters and forms offer.
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
  const column = adminColumns<Workspace>();
  const columns = [
    column.accessor('name', { header: 'Name', cell: (info) => info.getValue() }),
    column.accessor('visibility', { header: 'Visibility', cell: (info) => (info.getValue() === 'public' ? 'Public: every team member' : 'Private: its members only') }),
    column.accessor('createdAt', { header: 'Created', cell: (info) => formatDate(info.getValue()) }),
    ...(isAdmin(session) ? [column.display({ id: 'actions', header: 'Actions', cell: (info) => <WorkspaceActions workspace={info.row.original} /> })] : []),
  ];
  return (
    <section className="panel" aria-labelledby="workspaces-title">
      <h2 id="workspaces-title">Workspaces</h2>
      <AdminTable label="Workspaces" noun="workspaces" query={workspaces} columns={columns} empty="No workspaces." />
      {isAdmin(session) ? (
        <FormProvider {...form}>
          <form className="offer-form" onSubmit={onSubmit} noValidate aria-label="Add workspace">
            <h3>Add workspace</h3>
            <FormErrors what="The workspace was not added." messages={formErrors} />
            <TextField<WorkspaceFormValues> name="name" label="Workspace name" autoComplete="off" />
            <SelectField<WorkspaceFormValues>
              name="visibility"
              label="Visibility"
              choices={[
                { value: 'private', label: 'Private: its members only' },
                { value: 'public', label: 'Public: every team member' },
              ]}
            />
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={save.isPending}>
                Add workspace
              </button>
            </div>
          </form>
        </FormProvider>
      ) : null}
    </section>
  );
}

/** Rename a workspace or change its visibility, or delete it when it holds nothing (the server says when it does). */
function WorkspaceActions({ workspace }: { workspace: Workspace }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(workspace.name);
  const [visibility, setVisibility] = useState(workspace.visibility);
  const nameId = useId();
  const visibilityId = useId();
  const path = `/v1/workspaces/${encodeURIComponent(workspace.id)}`;
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['workspaces'] });
    // The session lists the workspaces the filters and forms offer.
    await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
  };
  const update = useMutation({
    mutationFn: () => api.patch<Workspace>(path, { name, visibility }),
    onSuccess: async () => {
      setEditing(false);
      await refresh();
    },
  });
  if (editing) {
    return (
      <form
        className="confirm"
        aria-label={`Edit ${workspace.name}`}
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate();
        }}
      >
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />
        <label htmlFor={visibilityId}>Visibility</label>
        <select id={visibilityId} value={visibility} onChange={(event) => setVisibility(event.target.value as Workspace['visibility'])}>
          <option value="private">Private: its members only</option>
          <option value="public">Public: every team member</option>
        </select>
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          Save workspace
        </button>
        <button type="button" className="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
        {update.isError ? <span role="alert">{errorMessage(update.error)}</span> : null}
      </form>
    );
  }
  return (
    <div className="button-row">
      <button
        type="button"
        className="button"
        aria-label={`Edit ${workspace.name}`}
        onClick={() => {
          setName(workspace.name);
          setVisibility(workspace.visibility);
          setEditing(true);
        }}
      >
        Edit
      </button>
      <RowAction
        text="Delete"
        name={`Delete ${workspace.name}`}
        confirm={{ explanation: 'Only an empty workspace can go.', button: 'Delete workspace' }}
        danger
        run={() => api.delete(path)}
        onDone={refresh}
      />
    </div>
  );
}

/** `GET /v1/settings/smtp`. */
export interface SmtpStatus {
  configured: boolean;
  host: string | null;
  port: number | null;
  secure: boolean;
  from: string | null;
}

function SmtpSection() {
  const status = useQuery({ queryKey: ['settings', 'smtp'], queryFn: () => api.get<SmtpStatus>('/v1/settings/smtp') });
  const test = useMutation({ mutationFn: () => api.post<{ sent: true; to: string }>('/v1/settings/smtp/test', {}) });
  return (
    <section className="panel" aria-labelledby="smtp-title">
      <h2 id="smtp-title">E-mail (SMTP)</h2>
      {status.isPending ? (
        <p role="status">Loading the mail settings…</p>
      ) : status.isError ? (
        <p role="alert">The mail settings could not be loaded: {errorMessage(status.error)}</p>
      ) : status.data.configured ? (
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd>Configured</dd>
          </div>
          <div>
            <dt>Server</dt>
            <dd className="break">
              {status.data.host}:{status.data.port} {status.data.secure ? '(TLS)' : ''}
            </dd>
          </div>
          <div>
            <dt>Sender</dt>
            <dd className="break">{status.data.from}</dd>
          </div>
        </dl>
      ) : (
        <p>
          Not configured: invites, password resets and conversion e-mails are not sent. Set <code>WAYPOST_SMTP_URL</code> (and <code>WAYPOST_SMTP_FROM</code>) and restart the
          server.
        </p>
      )}
      {status.data?.configured ? (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => test.mutate()} disabled={test.isPending}>
            Send test e-mail
          </button>
          <p role="status" className="copy-status">
            {test.isPending ? 'Sending…' : test.isSuccess ? `Sent to ${test.data.to}.` : ''}
          </p>
          {test.isError ? (
            <p role="alert" className="field-error">
              {errorMessage(test.error)}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
