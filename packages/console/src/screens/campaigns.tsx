import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import type { Campaign, CampaignLinks, Stream } from '@waypost/schema';
import { api, errorMessage, type Page } from '../api.js';
import { CopyField } from '../components/copy-field.js';
import { formatDate, formatStatus } from '../format.js';
import { formatAmount } from '../money.js';
import { canWrite, useCurrentSession } from '../session.js';
import { parseCampaignsSearch } from './campaign-search.js';
import { idPath, LIST_PAGE_SIZE, type NamedRecord, TrackerList, trackerFeatures, useOptions } from './campaign-shared.js';

export function useCampaign(campaignId: string) {
  return useQuery({ queryKey: ['campaigns', campaignId], queryFn: () => api.get<Campaign>(idPath('/v1/campaigns', campaignId)) });
}

/** "CPC · $0.0040", "RevShare · 30%", "None". */
export function describeCost(campaign: Pick<Campaign, 'cost' | 'currency'>): string {
  const { cost } = campaign;
  const model = { none: 'None', cpc: 'CPC', cpuc: 'CPUC', cpm: 'CPM', cpa: 'CPA', revshare: 'RevShare', auto: 'Auto' }[cost.model];
  // A cost may have up to 6 decimals (sub-cent CPCs): shown as stored, beside the currency.
  const amount = cost.amount !== undefined ? (/\.\d{3,}/.test(cost.amount) ? `${cost.amount} ${campaign.currency}` : formatAmount(cost.amount, campaign.currency)) : undefined;
  return [model, amount ?? (cost.percent !== undefined ? `${cost.percent}%` : undefined)].filter(Boolean).join(' · ');
}

const nameOf = (records: NamedRecord[] | undefined, id: string | null) => (id ? (records?.find((record) => record.id === id)?.name ?? id) : '—');

/** `/campaigns`. */
export function CampaignsScreen() {
  const search = parseCampaignsSearch(useSearch({ strict: false }));
  const navigate = useNavigate();
  const session = useCurrentSession();
  const sources = useOptions('/v1/traffic-sources');
  const setSearch = (next: object) => void navigate({ to: '/campaigns', search: next as never });
  const column = createColumnHelper<typeof trackerFeatures, Campaign>();
  const columns = column.columns([
    column.accessor('name', {
      header: 'Campaign name',
      cell: (info) => (
        <Link to="/campaigns/$campaignId" params={{ campaignId: info.row.original.id }}>
          {info.getValue()}
        </Link>
      ),
    }),
    column.accessor('id', { header: 'ID', cell: (info) => <code>{info.row.original.alias ?? info.getValue()}</code> }),
    column.accessor('status', {
      header: 'Status',
      cell: (info) => <span className={`badge badge-${info.getValue() === 'active' ? 'active' : 'inactive'}`}>{info.row.original.archivedAt ? 'Archived' : formatStatus(info.getValue())}</span>,
    }),
    column.accessor('trafficSourceId', { header: 'Traffic source', cell: (info) => nameOf(sources.data?.data, info.getValue()) }),
    column.display({ id: 'streams', header: 'Streams', cell: (info) => info.row.original.streams.length }),
    column.display({ id: 'cost', header: 'Cost', cell: (info) => <span className="nowrap">{describeCost(info.row.original)}</span> }),
    column.accessor('createdAt', { header: 'Created', cell: (info) => formatDate(info.getValue()) }),
  ]);
  return (
    <TrackerList<Campaign>
      title="Campaigns"
      what="campaigns"
      search={search}
      setSearch={setSearch}
      queryKey={['campaigns', 'list']}
      load={() =>
        api.get<Page<Campaign>>('/v1/campaigns', {
          q: search.q,
          status: search.status,
          trafficSourceId: search.trafficSourceId,
          workspaceId: search.workspaceId,
          cursor: search.cursor,
          includeArchived: search.includeArchived,
          limit: LIST_PAGE_SIZE,
        })
      }
      columns={columns as never}
      emptyHint="A campaign routes paid traffic through its streams to landers and offers."
      addButton={
        canWrite(session) ? (
          <button type="button" className="button button-primary" onClick={() => void navigate({ to: '/campaigns/new' })}>
            Add campaign
          </button>
        ) : null
      }
      extraFilters={
        <>
          <div className="field">
            <label htmlFor="campaigns-status">Status</label>
            <select id="campaigns-status" value={search.status ?? ''} onChange={(event) => setSearch({ ...search, status: event.target.value || undefined, cursor: undefined })}>
              <option value="">All statuses</option>
              <option value="active">Active</option>
              <option value="paused">Paused</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="campaigns-source">Traffic source</label>
            <select
              id="campaigns-source"
              value={search.trafficSourceId ?? ''}
              onChange={(event) => setSearch({ ...search, trafficSourceId: event.target.value || undefined, cursor: undefined })}
            >
              <option value="">All traffic sources</option>
              {(sources.data?.data ?? []).map((source) => (
                <option key={source.id} value={source.id}>
                  {source.name}
                </option>
              ))}
            </select>
          </div>
        </>
      }
    />
  );
}

/** A stream in one line: "Forced · Active · country allow US, CA → lander A (100), offer B (100)". */
function describeStream(stream: Stream, names: (id: string) => string): string {
  const filters = stream.filters.map((filter) => `${filter.type} ${filter.mode} ${filter.values.map((value) => (typeof value === 'object' ? `${value.days.join(',')} ${value.from}–${value.to}` : String(value))).join(', ')}`);
  const { action } = stream;
  const target =
    action.type === 'flow'
      ? [...action.landers.map((lander) => `${names(lander.landerId)} (${lander.weight})`), ...action.offers.map((offer) => `${names(offer.offerId)} (${offer.weight})`)].join(', ')
      : action.type === 'redirect'
        ? `redirect to ${action.url}`
        : action.type === 'campaign'
          ? `campaign ${names(action.campaignId)}`
          : 'not found';
  return [filters.length > 0 ? `${stream.match === 'all' ? 'all of' : 'any of'}: ${filters.join('; ')}` : 'every visit', target].join(' → ');
}

/** `/campaigns/$campaignId`: what the campaign does, and the links to paste into the traffic source and the lander. */
export function CampaignScreen() {
  const { campaignId = '' } = useParams({ strict: false }) as { campaignId?: string };
  const session = useCurrentSession();
  const navigate = useNavigate();
  const campaign = useCampaign(campaignId);
  const links = useQuery({
    queryKey: ['campaigns', campaignId, 'links'],
    queryFn: () => api.get<CampaignLinks>(`${idPath('/v1/campaigns', campaignId)}/links`),
    enabled: campaign.isSuccess,
  });
  const sources = useOptions('/v1/traffic-sources');
  const landers = useOptions('/v1/landers');
  const offers = useOptions('/v1/offers');
  const campaigns = useOptions('/v1/campaigns');
  const names = (id: string) => [landers, offers, campaigns].map((query) => query.data?.data.find((record) => record.id === id)?.name).find(Boolean) ?? id;

  if (campaign.isPending) return <p role="status">Loading the campaign…</p>;
  if (campaign.isError) {
    return (
      <div className="alert alert-error" role="alert">
        <p>The campaign could not be loaded: {errorMessage(campaign.error)}</p>
      </div>
    );
  }
  const { data } = campaign;
  return (
    <section className="screen" aria-labelledby="campaign-title">
      <header className="screen-header">
        <div>
          <p className="breadcrumb">Campaign {data.id}</p>
          <h1 id="campaign-title">{data.name}</h1>
        </div>
        <div className="button-row">
          <button type="button" className="button" onClick={() => void navigate({ to: '/reports', search: { campaignId, groupBy: 'stream,lander,offer' } as never })}>
            Report
          </button>
          {canWrite(session) ? (
            <>
              <button type="button" className="button" onClick={() => void navigate({ to: '/campaigns/$campaignId/edit', params: { campaignId } })}>
                Edit campaign
              </button>
              {data.archivedAt ? null : <ArchiveCampaign campaign={data} />}
            </>
          ) : null}
        </div>
      </header>
      {data.archivedAt ? (
        <p className="alert" role="status">
          Archived on {formatDate(data.archivedAt)}: its link answers 404; its clicks and reports stay.
        </p>
      ) : null}

      <section className="panel" aria-labelledby="campaign-links-title">
        <h2 id="campaign-links-title">Links</h2>
        {links.isError ? (
          <p role="alert">The links could not be loaded: {errorMessage(links.error)}</p>
        ) : (
          <>
            <CopyField
              label="Campaign URL"
              buttonLabel="Copy campaign URL"
              value={links.data?.campaignUrl ?? ''}
              hint="Paste it into the traffic source; its macros are filled by the source."
            />
            <CopyField label="Click URL" buttonLabel="Copy click URL" value={links.data?.clickUrl ?? ''} hint="The lander's call to action: it sends the visitor on to the stream's offer." />
          </>
        )}
      </section>

      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`badge badge-${data.status === 'active' ? 'active' : 'inactive'}`}>{formatStatus(data.status)}</span>
          </dd>
        </div>
        <div>
          <dt>Traffic source</dt>
          <dd>{nameOf(sources.data?.data, data.trafficSourceId)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{describeCost(data)}</dd>
        </div>
        <div>
          <dt>Redirect</dt>
          <dd>{data.redirect}</dd>
        </div>
        <div>
          <dt>Rotation</dt>
          <dd>{data.rotation === 'weight' ? 'By weight' : 'By position'}</dd>
        </div>
        <div>
          <dt>Unique for</dt>
          <dd>{data.uniquenessHours} h</dd>
        </div>
        <div>
          <dt>Bind visitors</dt>
          <dd>{data.bindVisitors ? 'Yes' : 'No'}</dd>
        </div>
        <div>
          <dt>Direct tracking</dt>
          <dd>{data.directTracking ? 'Yes' : 'No'}</dd>
        </div>
      </dl>

      <section className="panel" aria-labelledby="campaign-streams-title">
        <h2 id="campaign-streams-title">Streams</h2>
        {data.streams.length === 0 ? (
          <p>No streams: every visit gets the plain 404 page. Edit the campaign to add one.</p>
        ) : (
          <ol className="stream-summary">
            {data.streams.map((stream) => (
              <li key={stream.id}>
                <strong>{stream.name}</strong> <span className="badge">{formatStatus(stream.type)}</span>{' '}
                <span className={`badge badge-${stream.status === 'active' ? 'active' : 'inactive'}`}>{formatStatus(stream.status)}</span>
                {data.rotation === 'weight' && stream.type === 'regular' ? <span> weight {stream.weight}</span> : null}
                <p className="field-hint">{describeStream(stream, names)}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}

function ArchiveCampaign({ campaign }: { campaign: Campaign }) {
  const queryClient = useQueryClient();
  const archive = useMutation({
    mutationFn: () => api.delete<Campaign>(idPath('/v1/campaigns', campaign.id)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });
  return (
    <>
      <button
        type="button"
        className="button button-danger"
        disabled={archive.isPending}
        onClick={() => {
          if (window.confirm(`Archive ${campaign.name}? Its link will answer 404.`)) archive.mutate();
        }}
      >
        Archive campaign
      </button>
      {archive.isError ? <p role="alert">{errorMessage(archive.error)}</p> : null}
    </>
  );
}
