import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type AffiliateNetwork, type AffiliateNetworkTemplate, CreateAffiliateNetworkParamsSchema, UpdateAffiliateNetworkParamsSchema } from '@waypost/schema';
import { FormProvider, useFieldArray, useWatch } from 'react-hook-form';
import { api, errorMessage, type Page } from '../api.js';
import { FormErrors, useAdminForm } from '../components/admin-form.js';
import { AdminTable, adminColumns } from '../components/admin-table.js';
import { SelectField, TextField } from '../components/fields.js';
import { formatDate } from '../format.js';
import { canWrite, useCurrentSession } from '../session.js';

const MACROS = [
  ['clickId', 'Click ID macro'],
  ['amount', 'Amount macro'],
  ['payout', 'Payout macro'],
  ['transactionId', 'Transaction ID macro'],
  ['status', 'Status macro'],
  ['currency', 'Currency macro'],
  ['event', 'Event macro'],
  ['coupon', 'Promo code macro'],
] as const;
type MacroName = (typeof MACROS)[number][0];

/** The canonical postback parameters a network may post under a fixed name of its own. */
const PARAMS = ['click_id', 'transaction_id', 'amount', 'payout', 'currency', 'status', 'event', 'coupon', 'offer_id', 'country'] as const;
type ParamName = (typeof PARAMS)[number];
const NO_PARAMS = Object.fromEntries(PARAMS.map((name) => [name, ''])) as Record<ParamName, string>;
const STATUS_CHOICES = [
  { value: 'approved', label: 'Approved' },
  { value: 'pending', label: 'Pending' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'rebill', label: 'Rebill' },
];
/** As the schema allows: at most 100 of a network's own status values. */
const MAX_STATUSES = 100;

function useTemplates() {
  return useQuery({
    queryKey: ['affiliate-networks', 'templates'],
    queryFn: () => api.get<{ data: AffiliateNetworkTemplate[] }>('/v1/affiliate-networks/templates'),
    staleTime: Infinity,
  });
}

/** `/affiliate-networks`: the networks offers are bought from, with the postback macros each one fills. */
export function NetworksScreen() {
  const session = useCurrentSession();
  const navigate = useNavigate();
  const networks = useQuery({
    queryKey: ['affiliate-networks', 'list'],
    queryFn: () => api.get<Page<AffiliateNetwork>>('/v1/affiliate-networks', { limit: 500 }),
  });
  const workspaceName = (id: string) => session.workspaces.find((workspace) => workspace.id === id)?.name ?? id;
  const column = adminColumns<AffiliateNetwork>();
  const columns = [
    column.accessor('name', {
      header: 'Name',
      cell: (info) => (
        <Link to="/affiliate-networks/$networkId" params={{ networkId: info.row.original.id }}>
          {info.getValue()}
        </Link>
      ),
    }),
    column.accessor('clickIdParam', { header: 'Click ID parameter', cell: (info) => <code>{info.getValue()}</code> }),
    column.display({
      id: 'macros',
      header: 'Postback macros',
      cell: (info) =>
        Object.entries(info.row.original.macros)
          .map(([name, macro]) => `${name}=${macro}`)
          .join(', ') || '—',
    }),
    column.accessor('format', { header: 'Notifies by', cell: (info) => (info.getValue() ? `Webhook (${info.getValue()})` : 'Postback URL') }),
    ...(session.workspaces.length > 1 ? [column.accessor('workspaceId', { header: 'Workspace', cell: (info) => workspaceName(info.getValue()) })] : []),
    column.accessor('createdAt', { header: 'Registration date', cell: (info) => formatDate(info.getValue()) }),
  ];
  return (
    <section className="screen" aria-labelledby="networks-title">
      <header className="screen-header">
        <h1 id="networks-title">Affiliate networks</h1>
        {canWrite(session) ? (
          <button type="button" className="button button-primary" onClick={() => void navigate({ to: '/affiliate-networks/new' })}>
            Add network
          </button>
        ) : null}
      </header>
      <AdminTable
        label="Affiliate networks"
        noun="affiliate networks"
        query={networks}
        columns={columns}
        empty="No affiliate networks yet. Add one from a template to get the postback URL its offers need."
      />
    </section>
  );
}

interface NetworkFormValues {
  template: string;
  name: string;
  clickIdParam: string;
  macros: Record<MacroName, string>;
  params: Record<ParamName, string>;
  /** The status map as rows: the network's value and the status it means. */
  statusRows: { from: string; to: string }[];
  secret: string;
  workspaceId: string;
}
const FIELDS = [
  'template',
  'name',
  'clickIdParam',
  ...MACROS.map(([name]) => `macros.${name}` as const),
  ...PARAMS.map((name) => `params.${name}` as const),
  'secret',
  'workspaceId',
] as const;

/**
 * The request body: from a template only the name, a secret and the workspace go beside it, so that the template's
 * macros and maps stay whole; else every field, the status rows as the map (blank rows left out).
 */
function networkBody(values: NetworkFormValues): Record<string, unknown> {
  const { template, statusRows, ...rest } = values;
  if (template) return { template, name: rest.name, secret: rest.secret, workspaceId: rest.workspaceId };
  const statusMap = Object.fromEntries((statusRows ?? []).filter((row) => row.from?.trim()).map((row) => [row.from.trim(), row.to]));
  return { ...rest, macros: rest.macros ?? {}, params: rest.params ?? {}, statusMap };
}
const NO_MACROS = Object.fromEntries(MACROS.map(([name]) => [name, ''])) as Record<MacroName, string>;

/**
 * The network form. A new network starts from a built-in template (its click id parameter, macros, parameter names
 * and status map, written from the network's documentation) or from scratch; what is typed beside a template
 * replaces that field of the template.
 */
function NetworkForm({ network, onSaved }: { network?: AffiliateNetwork; onSaved: (saved: AffiliateNetwork) => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const session = useCurrentSession();
  const templates = useTemplates();
  const { form, save, onSubmit, formErrors } = useAdminForm<NetworkFormValues, AffiliateNetwork>({
    schema: network ? UpdateAffiliateNetworkParamsSchema : CreateAffiliateNetworkParamsSchema,
    defaultValues: {
      template: '',
      name: network?.name ?? '',
      clickIdParam: network?.clickIdParam ?? '',
      macros: { ...NO_MACROS, ...network?.macros },
      params: { ...NO_PARAMS, ...network?.params },
      statusRows: Object.entries(network?.statusMap ?? {}).map(([from, to]) => ({ from, to })),
      secret: '',
      workspaceId: network?.workspaceId ?? '',
    },
    fields: FIELDS,
    toBody: networkBody,
    submit: (values) =>
      network
        ? api.patch<AffiliateNetwork>(`/v1/affiliate-networks/${encodeURIComponent(network.id)}`, networkBody(values))
        : api.post<AffiliateNetwork>('/v1/affiliate-networks', networkBody(values)),
    onSaved: async (saved) => {
      queryClient.setQueryData(['affiliate-network', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['affiliate-networks'] });
      onSaved(saved);
    },
  });
  const statusRows = useFieldArray({ control: form.control, name: 'statusRows' });
  const templateKey = useWatch({ control: form.control, name: 'template' });
  const template = templates.data?.data.find((candidate) => candidate.key === templateKey);
  return (
    <FormProvider {...form}>
      <form className="offer-form" onSubmit={onSubmit} noValidate aria-label={network ? `Edit ${network.name}` : 'New affiliate network'}>
        <FormErrors what="The network was not saved." messages={formErrors} />
        <fieldset>
          <legend>Details</legend>
          {network ? null : (
            <SelectField<NetworkFormValues>
              name="template"
              label="From template"
              hint={templates.isError ? `The templates could not be loaded: ${errorMessage(templates.error)}` : undefined}
              options={{
                onChange: (event: { target: { value: string } }) => {
                  const chosen = templates.data?.data.find((candidate) => candidate.key === event.target.value);
                  if (chosen) form.setValue('name', chosen.name);
                },
              }}
              choices={[{ value: '', label: 'No template: set it up by hand' }, ...(templates.data?.data ?? []).map((candidate) => ({ value: candidate.key, label: candidate.name }))]}
            />
          )}
          {template ? (
            <div className="alert" role="note" aria-label="Template notes">
              <p>
                {template.name} sends its postbacks {template.method === 'GET' ? 'as a GET query' : template.method === 'form' ? 'as a form POST' : 'as a JSON POST'}; its click id
                goes in <code>{template.clickIdParam}</code>.
              </p>
              <p>{template.notes}</p>
            </div>
          ) : null}
          <TextField<NetworkFormValues> name="name" label="Network name" autoComplete="off" />
          {session.workspaces.length > 1 ? (
            <SelectField<NetworkFormValues>
              name="workspaceId"
              label="Workspace"
              choices={[{ value: '', label: 'The default workspace' }, ...session.workspaces.map((workspace) => ({ value: workspace.id, label: workspace.name }))]}
            />
          ) : null}
          {template && template.format ? (
            <TextField<NetworkFormValues> name="secret" label="Secret key" autoComplete="off" hint="The key the network signs or encrypts its notifications with." />
          ) : null}
        </fieldset>
        {template ? null : (
          <fieldset>
            <legend>Tracking</legend>
            <TextField<NetworkFormValues> name="clickIdParam" label="Click ID parameter" autoComplete="off" hint="The URL parameter the network reads its click id from, such as aff_sub." />
            {MACROS.map(([name, label]) => (
              <TextField<NetworkFormValues> key={name} name={`macros.${name}`} label={label} autoComplete="off" placeholder={name === 'clickId' ? '{aff_sub}' : undefined} />
            ))}
            {network?.hasSecret ? <p className="field-hint">A secret key is set; type a new one to replace it.</p> : null}
            {network?.format ? <TextField<NetworkFormValues> name="secret" label="Secret key" autoComplete="off" /> : null}
          </fieldset>
        )}
        {template ? null : (
          <fieldset>
            <legend>Parameter names</legend>
            <p className="field-hint">The names this network posts under when they are not the usual ones (the aliases are read anyway).</p>
            {PARAMS.map((name) => (
              <TextField<NetworkFormValues> key={name} name={`params.${name}`} label={`Posts ${name} as`} autoComplete="off" />
            ))}
          </fieldset>
        )}
        {template ? null : (
          <fieldset>
            <legend>Status map</legend>
            <p className="field-hint">The network’s own status values and the status each one means here.</p>
            {statusRows.fields.map((row, index) => (
              <div className="geo-row" key={row.id} role="group" aria-label={`Status ${index + 1}`}>
                <TextField<NetworkFormValues> name={`statusRows.${index}.from`} label={`Network status ${index + 1}`} autoComplete="off" />
                <SelectField<NetworkFormValues> name={`statusRows.${index}.to`} label={`Means (status ${index + 1})`} choices={STATUS_CHOICES} />
                <button type="button" className="button" onClick={() => statusRows.remove(index)}>
                  Remove status {index + 1}
                </button>
              </div>
            ))}
            <div className="button-row">
              <button type="button" className="button" onClick={() => statusRows.append({ from: '', to: 'approved' })} disabled={statusRows.fields.length >= MAX_STATUSES}>
                Add status
              </button>
            </div>
          </fieldset>
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            Save
          </button>
          <button type="button" className="button" onClick={() => void navigate({ to: '/affiliate-networks' })}>
            Cancel
          </button>
        </div>
      </form>
    </FormProvider>
  );
}

/** `/affiliate-networks/new`. */
export function NewNetworkScreen() {
  const session = useCurrentSession();
  const navigate = useNavigate();
  return (
    <section className="screen" aria-labelledby="new-network-title">
      <h1 id="new-network-title">Add affiliate network</h1>
      {canWrite(session) ? <NetworkForm onSaved={() => void navigate({ to: '/affiliate-networks' })} /> : <p role="alert">Your role reads networks but does not add them.</p>}
    </section>
  );
}

/** `/affiliate-networks/$networkId`: the network's settings, editable by everyone but analysts. */
export function EditNetworkScreen() {
  const { networkId = '' } = useParams({ strict: false }) as { networkId?: string };
  const session = useCurrentSession();
  const navigate = useNavigate();
  const network = useQuery({
    queryKey: ['affiliate-network', networkId],
    queryFn: () => api.get<AffiliateNetwork>(`/v1/affiliate-networks/${encodeURIComponent(networkId)}`),
  });
  if (network.isPending) return <p role="status">Loading the network…</p>;
  if (network.isError) return <p role="alert">The network could not be loaded: {errorMessage(network.error)}</p>;
  return (
    <section className="screen" aria-labelledby="network-title">
      <p className="breadcrumb">
        <Link to="/affiliate-networks">Affiliate networks</Link>
      </p>
      <h1 id="network-title">{network.data.name}</h1>
      {canWrite(session) ? (
        <NetworkForm network={network.data} onSaved={() => void navigate({ to: '/affiliate-networks' })} />
      ) : (
        <dl className="facts">
          <div>
            <dt>Click ID parameter</dt>
            <dd>
              <code>{network.data.clickIdParam}</code>
            </dd>
          </div>
          {[...Object.entries(network.data.macros), ...Object.entries(network.data.params).map(([name, param]) => [`Posts ${name} as`, param] as const)].map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>
                <code>{value}</code>
              </dd>
            </div>
          ))}
          {Object.entries(network.data.statusMap).map(([from, to]) => (
            <div key={`status-${from}`}>
              <dt>
                Status <code>{from}</code>
              </dt>
              <dd>{to}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
