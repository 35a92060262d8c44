import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { type Campaign, CreateCampaignParamsSchema, CURRENCY_CODES } from '@waypost/schema';
import { useMemo, useState } from 'react';
import { FormProvider, type Path, useFieldArray, useForm, useFormContext, useWatch } from 'react-hook-form';
import { api, errorMessage, isApiRequestError, request } from '../api.js';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../components/fields.js';
import { placeIssues, sentence } from '../form-errors.js';
import { canWrite, useCurrentSession } from '../session.js';
import {
  type CampaignFormValues,
  campaignFormFields,
  campaignToFormValues,
  EMPTY_CAMPAIGN_FORM,
  EMPTY_FILTER,
  EMPTY_STREAM,
  FILTER_TYPES,
  toCampaignParams,
} from './campaign-form-model.js';
import { FormErrors, idPath, type NamedRecord, NotesAndSave, schemaResolver, useOptions } from './campaign-shared.js';
import { useCampaign } from './campaigns.js';

type V = CampaignFormValues;

const COST_MODELS = [
  { value: 'none', label: 'None' },
  { value: 'cpc', label: 'CPC: per visit' },
  { value: 'cpuc', label: 'CPUC: per unique visit' },
  { value: 'cpm', label: 'CPM: per 1,000 visits' },
  { value: 'cpa', label: 'CPA: per approved conversion' },
  { value: 'revshare', label: 'RevShare: a share of revenue' },
  { value: 'auto', label: 'Auto: the cost the source passes' },
];
const REDIRECTS = [
  { value: '302', label: '302 redirect' },
  { value: '307', label: '307 redirect' },
  { value: 'meta', label: 'Meta refresh' },
  { value: 'double_meta', label: 'Double meta refresh (hides the referrer)' },
  { value: 'js', label: 'JavaScript redirect' },
];
const STREAM_TYPES = [
  { value: 'forced', label: 'Forced: checked first' },
  { value: 'regular', label: 'Regular' },
  { value: 'default', label: 'Default: when no other passes' },
];
const ACTIONS = [
  { value: 'flow', label: 'Landers and offers' },
  { value: 'redirect', label: 'Redirect to a URL' },
  { value: 'campaign', label: 'Another campaign' },
  { value: 'not_found', label: 'Not found (404)' },
];
const ACTIVE_PAUSED = [
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
];

const choicesOf = (records: NamedRecord[] | undefined, none: string, current: string[] = []) => [
  { value: '', label: none },
  // A record chosen before but not among the options (archived, or past the first 500) stays listed by its id.
  ...current.filter((id) => id && !records?.some((record) => record.id === id)).map((id) => ({ value: id, label: id })),
  ...(records ?? []).map((record) => ({ value: record.id, label: record.name })),
];

/** An error set on a list as a whole ("must list at least one offer"), under that list; a row's own message is at its row. */
function ListError({ name }: { name: string }) {
  const { formState } = useFormContext<V>();
  const own = (name.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], formState.errors) as { message?: unknown } | undefined)?.message;
  return typeof own === 'string' && own ? <p className="field-error">{sentence(own)}</p> : null;
}

/** The campaign form: settings, then the stream editor (add, remove, reorder; filters; the action with its weights). */
export function CampaignForm({ campaign, onSaved }: { campaign?: Campaign; onSaved: (campaign: Campaign) => void }) {
  const queryClient = useQueryClient();
  const session = useCurrentSession();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const resolver = useMemo(() => schemaResolver(CreateCampaignParamsSchema, toCampaignParams, campaignFormFields, setFormErrors), []);
  const form = useForm<V>({ defaultValues: campaign ? campaignToFormValues(campaign) : EMPTY_CAMPAIGN_FORM, resolver });
  const streams = useFieldArray({ control: form.control, name: 'streams' });
  const [costModel, rotation] = useWatch({ control: form.control, name: ['cost.model', 'rotation'] });
  const sources = useOptions('/v1/traffic-sources');
  const save = useMutation({
    mutationFn: (values: V) =>
      campaign
        ? request<Campaign>('PUT', idPath('/v1/campaigns', campaign.id), { body: toCampaignParams(values) })
        : api.post<Campaign>('/v1/campaigns', toCampaignParams(values)),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['campaigns', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      onSaved(saved);
    },
    onError: (error) => {
      const placed = isApiRequestError(error) ? placeIssues(error.issues, campaignFormFields(form.getValues())) : { fieldErrors: [], formErrors: [] };
      for (const { field, message } of placed.fieldErrors) form.setError(field as Path<V>, { type: 'server', message }, { shouldFocus: true });
      setFormErrors(placed.fieldErrors.length === 0 && placed.formErrors.length === 0 ? [errorMessage(error)] : placed.formErrors);
    },
  });

  return (
    <FormProvider {...form}>
      <form className="offer-form campaign-form" noValidate aria-label={campaign ? `Edit ${campaign.name}` : 'New campaign'} onSubmit={form.handleSubmit((values) => save.mutate(values))}>
        <FormErrors what="campaign" messages={formErrors} />
        <fieldset>
          <legend>Details</legend>
          <TextField<V> name="name" label="Campaign name" autoComplete="off" />
          <TextField<V> name="alias" label="Alias" hint="A readable name for the link, /t/ALIAS: letters, digits, - and _. Leave empty to use the campaign ID." />
          <SelectField<V> name="status" label="Campaign status" choices={ACTIVE_PAUSED} />
          <SelectField<V> name="trafficSourceId" label="Traffic source" choices={choicesOf(sources.data?.data, sources.isLoading ? 'Loading…' : 'None', [campaign?.trafficSourceId ?? ''])} />
          <div className="field-row">
            <SelectField<V>
              name="currency"
              label="Currency"
              choices={[...(campaign ? [] : [{ value: '', label: 'Account currency' }]), ...CURRENCY_CODES.map((code) => ({ value: code, label: code }))]}
            />
            <TextField<V> name="timezone" label="Timezone" placeholder="Europe/Berlin" hint="Of the schedule filters. Empty for the account timezone." />
          </div>
          {session.workspaces.length > 1 ? (
            <SelectField<V>
              name="workspaceId"
              label="Workspace"
              choices={[...(campaign ? [] : [{ value: '', label: 'Default workspace' }]), ...session.workspaces.map((workspace) => ({ value: workspace.id, label: workspace.name }))]}
            />
          ) : null}
        </fieldset>

        <fieldset>
          <legend>Cost and routing</legend>
          <div className="field-row">
            <SelectField<V> name="cost.model" label="Cost model" choices={COST_MODELS} />
            {costModel === 'cpc' || costModel === 'cpuc' || costModel === 'cpm' || costModel === 'cpa' ? (
              <TextField<V> name="cost.amount" label="Cost amount" inputMode="decimal" hint="In the campaign currency, up to 6 decimals (0.0040)." />
            ) : null}
            {costModel === 'revshare' ? <TextField<V> name="cost.percent" label="Cost percent" inputMode="decimal" hint="A share of each conversion's revenue." /> : null}
          </div>
          <SelectField<V> name="redirect" label="Redirect mode" choices={REDIRECTS} />
          <SelectField<V>
            name="rotation"
            label="Rotation"
            choices={[
              { value: 'position', label: 'By position: the first regular stream that passes' },
              { value: 'weight', label: 'By weight: drawn among the regular streams that pass' },
            ]}
          />
          <TextField<V> name="uniquenessHours" label="Uniqueness period (hours)" type="number" inputMode="numeric" min={1} step={1} hint="A visitor counts as unique once per this many hours." />
          <CheckboxField<V> name="bindVisitors" label="Bind visitors" hint="A returning visitor gets the stream, lander and offer of their last visit." />
          <CheckboxField<V> name="directTracking" label="Direct tracking" hint="The browser script with data-campaign may record visits that came without the campaign link." />
          <TextAreaField<V> name="allowedOrigins" label="Allowed origins" rows={2} hint="For direct tracking, one per line, such as https://lander.example. Empty allows any." />
        </fieldset>

        <fieldset className="streams">
          <legend>Streams</legend>
          <p className="field-hint">Forced streams are checked first, then the regular ones, then the default stream. Each visit takes one stream.</p>
          <ListError name="streams" />
          {streams.fields.map((stream, index) => (
            <StreamEditor
              key={stream.id}
              index={index}
              count={streams.fields.length}
              weighted={rotation === 'weight'}
              onRemove={() => streams.remove(index)}
              onMove={(to) => streams.move(index, to)}
            />
          ))}
          <div className="form-actions-inline">
            <button type="button" className="button" onClick={() => streams.append({ ...EMPTY_STREAM, name: `Stream ${streams.fields.length + 1}` }, { shouldFocus: false })}>
              Add stream
            </button>
          </div>
        </fieldset>

        <NotesAndSave<V> saving={save.isPending} />
      </form>
    </FormProvider>
  );
}

function StreamEditor({ index, count, weighted, onRemove, onMove }: { index: number; count: number; weighted: boolean; onRemove: () => void; onMove: (to: number) => void }) {
  const { control, getValues } = useFormContext<V>();
  const at = `streams.${index}` as const;
  const filters = useFieldArray({ control, name: `${at}.filters` });
  const landers = useFieldArray({ control, name: `${at}.action.landers` });
  const offers = useFieldArray({ control, name: `${at}.action.offers` });
  const [type, actionType, filterTypes] = useWatch({ control, name: [`${at}.type`, `${at}.action.type`, `${at}.filters`] });
  const landerOptions = useOptions('/v1/landers');
  const offerOptions = useOptions('/v1/offers');
  const campaignOptions = useOptions('/v1/campaigns');
  const label = `Stream ${index + 1}`;
  return (
    <fieldset className="stream" aria-label={label}>
      <legend>{label}</legend>
      <div className="field-row">
        <TextField<V> name={`${at}.name`} label="Stream name" autoComplete="off" />
        <SelectField<V> name={`${at}.type`} label="Stream type" choices={STREAM_TYPES} />
        <SelectField<V> name={`${at}.status`} label="Stream status" choices={ACTIVE_PAUSED} />
        {weighted && type === 'regular' ? <TextField<V> name={`${at}.weight`} label="Stream weight" type="number" inputMode="numeric" min={1} step={1} /> : null}
      </div>

      <h3 className="subsection">Filters</h3>
      {filters.fields.length > 0 ? (
        <SelectField<V>
          name={`${at}.match`}
          label="Match"
          choices={[
            { value: 'all', label: 'All filters must pass' },
            { value: 'any', label: 'Any filter may pass' },
          ]}
        />
      ) : (
        <p className="field-hint">No filters: every visit passes.</p>
      )}
      {filters.fields.map((filter, row) => (
        <div className="geo-row" key={filter.id} role="group" aria-label={`Filter ${row + 1} of stream ${index + 1}`}>
          <SelectField<V> name={`${at}.filters.${row}.type`} label="Filter type" choices={FILTER_TYPES} />
          <SelectField<V>
            name={`${at}.filters.${row}.mode`}
            label="Filter mode"
            choices={[
              { value: 'allow', label: 'Allow: only these' },
              { value: 'deny', label: 'Deny: all but these' },
            ]}
          />
          {filterTypes?.[row]?.type === 'schedule' ? (
            <TextAreaField<V> name={`${at}.filters.${row}.values`} label="Filter values" rows={2} hint={FILTER_TYPES.find((option) => option.value === 'schedule')!.hint} />
          ) : filterTypes?.[row]?.type === 'unique' || filterTypes?.[row]?.type === 'bot' ? (
            <SelectField<V>
              name={`${at}.filters.${row}.values`}
              label="Filter values"
              choices={[
                { value: 'true', label: 'Yes' },
                { value: 'false', label: 'No' },
              ]}
            />
          ) : (
            <TextField<V> name={`${at}.filters.${row}.values`} label="Filter values" hint={FILTER_TYPES.find((option) => option.value === filterTypes?.[row]?.type)?.hint} />
          )}
          <button type="button" className="button" onClick={() => filters.remove(row)}>
            Remove filter {row + 1}
          </button>
        </div>
      ))}
      <div className="form-actions-inline">
        <button type="button" className="button" onClick={() => filters.append({ ...EMPTY_FILTER }, { shouldFocus: false })}>
          Add filter
        </button>
      </div>

      <h3 className="subsection">Where the visit goes</h3>
      <SelectField<V> name={`${at}.action.type`} label="Action" choices={ACTIONS} />
      {actionType === 'flow' ? (
        <>
          <div role="group" aria-label={`Landers of stream ${index + 1}`}>
            {landers.fields.length === 0 ? <p className="field-hint">No landers: visits go straight to the offer.</p> : null}
            {landers.fields.map((lander, row) => (
              <div className="geo-row" key={lander.id}>
                <SelectField<V>
                  name={`${at}.action.landers.${row}.landerId`}
                  label={`Lander ${row + 1}`}
                  choices={choicesOf(landerOptions.data?.data, 'Choose a lander', [getValues(`${at}.action.landers.${row}.landerId`)])}
                />
                <TextField<V> name={`${at}.action.landers.${row}.weight`} label={`Lander ${row + 1} weight`} type="number" inputMode="numeric" min={1} step={1} />
                <button type="button" className="button" onClick={() => landers.remove(row)}>
                  Remove lander {row + 1}
                </button>
              </div>
            ))}
            <ListError name={`${at}.action.landers`} />
            <div className="form-actions-inline">
              <button type="button" className="button" onClick={() => landers.append({ landerId: '', weight: '100' }, { shouldFocus: false })}>
                Add lander
              </button>
            </div>
          </div>
          <div role="group" aria-label={`Offers of stream ${index + 1}`}>
            {offers.fields.map((offer, row) => (
              <div className="geo-row" key={offer.id}>
                <SelectField<V>
                  name={`${at}.action.offers.${row}.offerId`}
                  label={`Offer ${row + 1}`}
                  choices={choicesOf(offerOptions.data?.data, 'Choose an offer', [getValues(`${at}.action.offers.${row}.offerId`)])}
                />
                <TextField<V> name={`${at}.action.offers.${row}.weight`} label={`Offer ${row + 1} weight`} type="number" inputMode="numeric" min={1} step={1} />
                <button type="button" className="button" onClick={() => offers.remove(row)}>
                  Remove offer {row + 1}
                </button>
              </div>
            ))}
            <ListError name={`${at}.action.offers`} />
            <div className="form-actions-inline">
              <button type="button" className="button" onClick={() => offers.append({ offerId: '', weight: '100' }, { shouldFocus: false })}>
                Add offer
              </button>
            </div>
          </div>
        </>
      ) : null}
      {actionType === 'redirect' ? <TextField<V> name={`${at}.action.url`} label="Redirect URL" type="url" inputMode="url" hint="Macros such as {click_id} are filled in." /> : null}
      {actionType === 'campaign' ? (
        <SelectField<V> name={`${at}.action.campaignId`} label="Campaign" choices={choicesOf(campaignOptions.data?.data, 'Choose a campaign', [getValues(`${at}.action.campaignId`)])} />
      ) : null}

      <div className="button-row stream-actions">
        <button type="button" className="button" disabled={index === 0} onClick={() => onMove(index - 1)}>
          Move stream {index + 1} up
        </button>
        <button type="button" className="button" disabled={index === count - 1} onClick={() => onMove(index + 1)}>
          Move stream {index + 1} down
        </button>
        <button type="button" className="button button-danger" onClick={onRemove}>
          Remove stream {index + 1}
        </button>
      </div>
    </fieldset>
  );
}

/** `/campaigns/new`. */
export function NewCampaignScreen() {
  const navigate = useNavigate();
  const session = useCurrentSession();
  return (
    <section className="screen" aria-labelledby="new-campaign-title">
      <h1 id="new-campaign-title">Add campaign</h1>
      {canWrite(session) ? (
        <CampaignForm onSaved={(saved) => void navigate({ to: '/campaigns/$campaignId', params: { campaignId: saved.id } })} />
      ) : (
        <p role="alert">Your role reads campaigns but does not add them.</p>
      )}
    </section>
  );
}

/** `/campaigns/$campaignId/edit`. */
export function EditCampaignScreen() {
  const { campaignId = '' } = useParams({ strict: false }) as { campaignId?: string };
  const navigate = useNavigate();
  const session = useCurrentSession();
  const campaign = useCampaign(campaignId);
  if (campaign.isPending) return <p role="status">Loading the campaign…</p>;
  if (campaign.isError) return <p role="alert">The campaign could not be loaded: {errorMessage(campaign.error)}</p>;
  return (
    <section className="screen" aria-labelledby="edit-campaign-title">
      <h1 id="edit-campaign-title">Edit {campaign.data.name}</h1>
      {canWrite(session) ? (
        <CampaignForm campaign={campaign.data} onSaved={(saved) => void navigate({ to: '/campaigns/$campaignId', params: { campaignId: saved.id } })} />
      ) : (
        <p role="alert">Your role reads campaigns but does not change them.</p>
      )}
    </section>
  );
}
