import {
  BROWSER_VALUES,
  type Campaign,
  type CostModel,
  DEVICE_FILTER_VALUES,
  OS_VALUES,
  type RedirectMode,
  type Stream,
  type StreamFilter,
  type StreamFilterType,
} from '@waypost/schema';
import { splitList } from './campaign-shared.js';

/** What the campaign form's inputs hold: text as typed, turned into the API body by `toCampaignParams`. */
export interface CampaignFormValues {
  name: string;
  alias: string;
  status: 'active' | 'paused';
  trafficSourceId: string;
  /** Empty for the account currency (a new campaign) or the campaign's own (an edit). */
  currency: string;
  timezone: string;
  cost: { model: CostModel; amount: string; percent: string };
  redirect: RedirectMode;
  rotation: 'position' | 'weight';
  uniquenessHours: string;
  bindVisitors: boolean;
  directTracking: boolean;
  /** One origin per line. */
  allowedOrigins: string;
  notes: string;
  workspaceId: string;
  streams: StreamRow[];
}

export interface StreamRow {
  /** The stream's id when it was saved before: a `PUT` with it keeps the stream's history and bound visitors. */
  streamId: string;
  name: string;
  type: 'forced' | 'regular' | 'default';
  status: 'active' | 'paused';
  weight: string;
  match: 'all' | 'any';
  filters: FilterRow[];
  action: {
    type: 'flow' | 'redirect' | 'campaign' | 'not_found';
    landers: { landerId: string; weight: string }[];
    offers: { offerId: string; weight: string }[];
    url: string;
    campaignId: string;
  };
}

export interface FilterRow {
  type: StreamFilterType;
  mode: 'allow' | 'deny';
  /** As typed: values separated by commas or lines; schedules one window a line ("1-5 09:00-18:00"); "true"/"false" for unique and bot. */
  values: string;
}

export const FILTER_TYPES: { value: StreamFilterType; label: string; hint: string }[] = [
  { value: 'country', label: 'Country', hint: 'Two-letter codes, such as US, CA.' },
  { value: 'device', label: 'Device', hint: `Any of ${DEVICE_FILTER_VALUES.join(', ')}.` },
  { value: 'os', label: 'Operating system', hint: `Any of ${OS_VALUES.join(', ')}.` },
  { value: 'browser', label: 'Browser', hint: `Any of ${BROWSER_VALUES.join(', ')}.` },
  { value: 'language', label: 'Language', hint: 'Language subtags, such as en, de.' },
  { value: 'ip', label: 'IP address', hint: 'Addresses or ranges, such as 203.0.113.0/24.' },
  { value: 'referrer', label: 'Referrer domain', hint: 'Domains (their subdomains match too), such as example.com.' },
  { value: 'param', label: 'URL parameter', hint: 'name=value pairs, such as zone=42.' },
  { value: 'schedule', label: 'Schedule', hint: 'One window a line: days (1 = Monday … 7 = Sunday) and times in the campaign timezone, such as 1-5 09:00-18:00.' },
  { value: 'unique', label: 'Unique visitor', hint: 'true for unique visits, false for repeat visits.' },
  { value: 'bot', label: 'Bot', hint: 'true for bots, false for people.' },
];

export const EMPTY_STREAM: StreamRow = {
  streamId: '',
  name: '',
  type: 'regular',
  status: 'active',
  weight: '100',
  match: 'all',
  filters: [],
  action: { type: 'flow', landers: [], offers: [{ offerId: '', weight: '100' }], url: '', campaignId: '' },
};

export const EMPTY_FILTER: FilterRow = { type: 'country', mode: 'allow', values: '' };

export const EMPTY_CAMPAIGN_FORM: CampaignFormValues = {
  name: '',
  alias: '',
  status: 'active',
  trafficSourceId: '',
  currency: '',
  timezone: '',
  cost: { model: 'none', amount: '', percent: '' },
  redirect: '302',
  rotation: 'position',
  uniquenessHours: '24',
  bindVisitors: false,
  directTracking: false,
  allowedOrigins: '',
  notes: '',
  workspaceId: '',
  streams: [{ ...EMPTY_STREAM, name: 'Main' }],
};

function filterText(filter: StreamFilter): string {
  if (filter.type === 'schedule') return filter.values.map((window) => `${window.days.join(',')} ${window.from}-${window.to}`).join('\n');
  return filter.values.map(String).join(', ');
}

function streamToRow(stream: Stream): StreamRow {
  const { action } = stream;
  return {
    streamId: stream.id,
    name: stream.name,
    type: stream.type,
    status: stream.status,
    weight: String(stream.weight),
    match: stream.match,
    filters: stream.filters.map((filter) => ({ type: filter.type, mode: filter.mode, values: filterText(filter) })),
    action: {
      type: action.type,
      landers: action.type === 'flow' ? action.landers.map((lander) => ({ landerId: lander.landerId, weight: String(lander.weight) })) : [],
      offers: action.type === 'flow' ? action.offers.map((offer) => ({ offerId: offer.offerId, weight: String(offer.weight) })) : [{ offerId: '', weight: '100' }],
      url: action.type === 'redirect' ? action.url : '',
      campaignId: action.type === 'campaign' ? action.campaignId : '',
    },
  };
}

export function campaignToFormValues(campaign: Campaign): CampaignFormValues {
  return {
    name: campaign.name,
    alias: campaign.alias ?? '',
    status: campaign.status,
    trafficSourceId: campaign.trafficSourceId ?? '',
    currency: campaign.currency,
    timezone: campaign.timezone,
    cost: { model: campaign.cost.model, amount: campaign.cost.amount ?? '', percent: campaign.cost.percent ?? '' },
    redirect: campaign.redirect,
    rotation: campaign.rotation,
    uniquenessHours: String(campaign.uniquenessHours),
    bindVisitors: campaign.bindVisitors,
    directTracking: campaign.directTracking,
    allowedOrigins: campaign.allowedOrigins.join('\n'),
    notes: campaign.notes ?? '',
    workspaceId: campaign.workspaceId,
    streams: campaign.streams.map(streamToRow),
  };
}

const blank = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
const number = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value));

/** "1-5" → [1,2,3,4,5], "6,7" → [6,7]; anything else is left for the schema to name. */
function parseDays(text: string): number[] | null {
  const days: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*([1-7])\s*(?:-\s*([1-7]))?\s*$/.exec(part);
    if (!range) return null;
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    for (let day = from; day <= to; day++) days.push(day);
  }
  return days;
}

function filterValues(filter: FilterRow): unknown[] {
  if (filter.type === 'unique' || filter.type === 'bot') return filter.values.trim() === '' ? [] : [filter.values.trim() === 'true'];
  if (filter.type === 'schedule') {
    return splitList(filter.values, /\n+/).map((line) => {
      const match = /^(.+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(line);
      const days = match ? parseDays(match[1]!) : null;
      return match && days ? { days, from: match[2]!.padStart(5, '0'), to: match[3]!.padStart(5, '0') } : line;
    });
  }
  // A referrer filter may match an empty referrer, which is "" in the API: typed as "(none)".
  return splitList(filter.values).map((value) => (filter.type === 'referrer' && value === '(none)' ? '' : value));
}

function streamParams(row: StreamRow) {
  const { action } = row;
  return {
    ...(row.streamId ? { id: row.streamId } : {}),
    name: row.name,
    type: row.type,
    status: row.status,
    weight: number(row.weight),
    match: row.match,
    filters: row.filters.map((filter) => ({ type: filter.type, mode: filter.mode, values: filterValues(filter) })),
    action:
      action.type === 'flow'
        ? {
            type: 'flow',
            landers: action.landers.map((lander) => ({ landerId: lander.landerId, weight: number(lander.weight) })),
            offers: action.offers.map((offer) => ({ offerId: offer.offerId, weight: number(offer.weight) })),
          }
        : action.type === 'redirect'
          ? { type: 'redirect', url: action.url.trim() }
          : action.type === 'campaign'
            ? { type: 'campaign', campaignId: action.campaignId }
            : { type: 'not_found' },
  };
}

/** The body of `POST /v1/campaigns` and of `PUT /v1/campaigns/:id`: the whole campaign, its streams in order. */
export function toCampaignParams(values: CampaignFormValues) {
  const { cost } = values;
  const needsAmount = cost.model === 'cpc' || cost.model === 'cpuc' || cost.model === 'cpm' || cost.model === 'cpa';
  return {
    name: values.name,
    alias: blank(values.alias) ?? null,
    status: values.status,
    trafficSourceId: blank(values.trafficSourceId) ?? null,
    ...(values.currency ? { currency: values.currency } : {}),
    ...(blank(values.timezone) ? { timezone: values.timezone.trim() } : {}),
    cost: {
      model: cost.model,
      ...(needsAmount ? { amount: blank(cost.amount) } : {}),
      ...(cost.model === 'revshare' ? { percent: blank(cost.percent) } : {}),
    },
    redirect: values.redirect,
    rotation: values.rotation,
    uniquenessHours: number(values.uniquenessHours),
    bindVisitors: values.bindVisitors,
    directTracking: values.directTracking,
    allowedOrigins: splitList(values.allowedOrigins, /\n+/),
    streams: values.streams.map(streamParams),
    notes: blank(values.notes) ?? null,
    ...(values.workspaceId ? { workspaceId: values.workspaceId } : {}),
  };
}

const CAMPAIGN_FIELDS = [
  'name',
  'alias',
  'status',
  'trafficSourceId',
  'currency',
  'timezone',
  'cost.model',
  'cost.amount',
  'cost.percent',
  'redirect',
  'rotation',
  'uniquenessHours',
  'bindVisitors',
  'directTracking',
  'allowedOrigins',
  'notes',
  'workspaceId',
];

/** Every input of the form by the API's dotted path, streams and their rows included, so each issue lands on its input. */
export function campaignFormFields(values: CampaignFormValues): string[] {
  return [
    ...CAMPAIGN_FIELDS,
    ...values.streams.flatMap((stream, index) => {
      const at = `streams.${index}`;
      return [
        `${at}.name`,
        `${at}.type`,
        `${at}.status`,
        `${at}.weight`,
        `${at}.match`,
        `${at}.action.type`,
        `${at}.action.url`,
        `${at}.action.campaignId`,
        `${at}.action.landers`,
        `${at}.action.offers`,
        ...stream.filters.flatMap((_, filter) => [`${at}.filters.${filter}.type`, `${at}.filters.${filter}.mode`, `${at}.filters.${filter}.values`]),
        ...stream.action.landers.flatMap((_, row) => [`${at}.action.landers.${row}.landerId`, `${at}.action.landers.${row}.weight`]),
        ...stream.action.offers.flatMap((_, row) => [`${at}.action.offers.${row}.offerId`, `${at}.action.offers.${row}.weight`]),
      ];
    }),
  ];
}
