import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CURRENCY_CODES, type KeywordSet, type Offer } from '@waypost/schema';
import { useState } from 'react';
import { FormProvider, type Path, useFieldArray, useForm, useWatch } from 'react-hook-form';
import { api, errorMessage, isApiRequestError, type Page } from '../api.js';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../components/fields.js';
import { placeIssues } from '../form-errors.js';
import { decimalsOf, normaliseAmountInput } from '../money.js';
import { useCurrentSession } from '../session.js';
import {
  EMPTY_OFFER_FORM,
  OfferFormSchema,
  offerFormFields,
  type OfferFormValues,
  offerFormMessage,
  offerToFormValues,
  toOfferParams,
} from '../offer-form-model.js';

const PAYOUT_TYPES = [
  { value: 'cpa', label: 'CPA: per action' },
  { value: 'cpl', label: 'CPL: per lead' },
  { value: 'cps', label: 'CPS: per sale' },
  { value: 'cpc', label: 'CPC: per click' },
  { value: 'cpm', label: 'CPM: per thousand impressions' },
] as const;

const PAYOUT_MODES = [
  { value: 'fixed', label: 'Fixed: the amount set here' },
  { value: 'auto', label: 'Auto: the amount the conversion reports' },
] as const;

const STATUSES = [
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
] as const;

const PERIODS = [
  { value: 'total', label: 'In total' },
  { value: 'day', label: 'Per day' },
  { value: 'week', label: 'Per week' },
  { value: 'month', label: 'Per month' },
] as const;

const REVENUE_MODES = [
  { value: '', label: 'Not tracked' },
  { value: 'fixed', label: 'Fixed: the amount set here' },
  { value: 'auto', label: 'Auto: the amount the conversion reports' },
] as const;

const CURRENCIES = [{ value: '', label: 'Account currency' }, ...CURRENCY_CODES.map((code) => ({ value: code, label: code }))];

interface AffiliateNetwork {
  id: string;
  name: string;
}

export interface OfferFormProps {
  /** The offer to edit; a new offer when absent. */
  offer?: Offer;
  onSaved: (offer: Offer) => void;
}

/** The offer form: its rules are the server's schema, and what the server still refuses is shown at the field it names. */
export function OfferForm({ offer, onSaved }: OfferFormProps) {
  const queryClient = useQueryClient();
  const session = useCurrentSession();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const form = useForm<OfferFormValues, unknown, unknown>({
    defaultValues: offer ? offerToFormValues(offer) : EMPTY_OFFER_FORM,
    resolver: zodResolver(OfferFormSchema, { error: (issue) => offerFormMessage(issue as never) }) as never,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const networks = useQuery({
    queryKey: ['affiliate-networks', 'options'],
    queryFn: () => api.get<Page<AffiliateNetwork>>('/v1/affiliate-networks', { limit: 500 }),
  });
  const offers = useQuery({
    queryKey: ['offers', 'options'],
    queryFn: () => api.get<Page<Offer>>('/v1/offers', { status: 'active', limit: 500 }),
  });
  const keywordSets = useQuery({
    queryKey: ['keyword-sets', 'options'],
    queryFn: () => api.get<Page<KeywordSet>>('/v1/keyword-sets', { limit: 500 }),
  });
  const otherOffers = (offers.data?.data ?? []).filter((other) => other.id !== offer?.id);
  const [model, currency, emailEnabled, revenueMode] = useWatch({ control: form.control, name: ['payout.model', 'currency', 'email.enabled', 'revenue.mode'] });
  const geo = useFieldArray({ control: form.control, name: 'payout.geo' });
  const save = useMutation({
    mutationFn: (values: OfferFormValues) =>
      offer ? api.patch<Offer>(`/v1/offers/${encodeURIComponent(offer.id)}`, toOfferParams(values)) : api.post<Offer>('/v1/offers', toOfferParams(values)),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['offer', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['offers'] });
      onSaved(saved);
    },
    onError: (error) => {
      const { fieldErrors, formErrors } = isApiRequestError(error) ? placeIssues(error.issues, offerFormFields(form.getValues())) : { fieldErrors: [], formErrors: [] };
      for (const { field, message } of fieldErrors) form.setError(field as Path<OfferFormValues>, { type: 'server', message }, { shouldFocus: true });
      // The message alone when it names no field of the form (a 403, a network failure); else the fields say it.
      setFormErrors(fieldErrors.length === 0 && formErrors.length === 0 ? [errorMessage(error)] : formErrors);
    },
  });

  const onSubmit = form.handleSubmit(() => {
    setFormErrors([]);
    save.mutate(form.getValues());
  });
  const amountHint = currency ? `In ${currency}, ${decimalsOf(currency)} decimal${decimalsOf(currency) === 1 ? '' : 's'}` : 'In the account currency';
  // Only in a currency the form knows: the account currency's decimals are the server's to say.
  const padAmount = (name: Path<OfferFormValues>) => ({
    onBlur: (event: { target: { value: string } }) => currency && form.setValue(name, normaliseAmountInput(event.target.value, currency)),
  });

  return (
    <FormProvider {...form}>
      <form className="offer-form" onSubmit={onSubmit} noValidate aria-label={offer ? `Edit ${offer.name}` : 'New offer'}>
        {formErrors.length > 0 ? (
          <div className="alert alert-error" role="alert">
            <p>The offer was not saved.</p>
            <ul>
              {formErrors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          </div>
        ) : null}

        <fieldset>
          <legend>Details</legend>
          <TextField<OfferFormValues> name="name" label="Offer name" autoComplete="off" />
          <TextField<OfferFormValues> name="url" label="Site link" type="url" inputMode="url" hint="The destination. Macros such as {click_id} may fill its path and query." />
          <TextField<OfferFormValues> name="leadType" label="Lead type" hint="Free text, such as Solar or Payday." />
          <SelectField<OfferFormValues> name="status" label="Offer status" choices={STATUSES} />
          <TextField<OfferFormValues> name="expiresAt" label="Expiration date" type="date" hint="The last day the offer runs (UTC). Leave empty for none." />
          <SelectField<OfferFormValues> name="currency" label="Currency" choices={CURRENCIES} />
          {session.workspaces.length > 1 ? (
            <SelectField<OfferFormValues>
              name="workspaceId"
              label="Workspace"
              choices={[
                ...(offer ? [] : [{ value: '', label: 'Default workspace' }]),
                ...session.workspaces.map((workspace) => ({ value: workspace.id, label: `${workspace.name} (${workspace.visibility})` })),
              ]}
            />
          ) : null}
        </fieldset>

        <fieldset>
          <legend>Payout</legend>
          <SelectField<OfferFormValues> name="payout.model" label="Payout type" choices={PAYOUT_TYPES} />
          <SelectField<OfferFormValues> name="payout.mode" label="Payout mode" choices={PAYOUT_MODES} />
          <TextField<OfferFormValues> name="payout.amount" label="Payout amount" inputMode="decimal" hint={amountHint} options={padAmount('payout.amount')} />
          {model === 'cps' ? <TextField<OfferFormValues> name="payout.percent" label="Payout percent" inputMode="decimal" hint="A share of the sale amount, 0 to 100." /> : null}
          {model === 'cpa' || model === 'cpl' ? (
            <div className="field-row">
              <TextField<OfferFormValues> name="payout.threshold.count" label="Threshold" type="number" inputMode="numeric" min={1} step={1} hint="Conversions before a payout is earned." />
              <SelectField<OfferFormValues> name="payout.threshold.period" label="Threshold period" choices={PERIODS} />
            </div>
          ) : null}

          <h3 className="subsection">Geo payouts</h3>
          <p className="field-hint">A payout for visitors from some countries, in place of the one above.</p>
          {geo.fields.map((row, index) => (
            <div className="geo-row" key={row.id} role="group" aria-label={`Geo payout ${index + 1}`}>
              <TextField<OfferFormValues> name={`payout.geo.${index}.countries`} label={`Countries (geo payout ${index + 1})`} hint="Two-letter codes, such as US, CA." />
              <TextField<OfferFormValues> name={`payout.geo.${index}.amount`} label={`Amount (geo payout ${index + 1})`} inputMode="decimal" options={padAmount(`payout.geo.${index}.amount`)} />
              {model === 'cps' ? <TextField<OfferFormValues> name={`payout.geo.${index}.percent`} label={`Percent (geo payout ${index + 1})`} inputMode="decimal" /> : null}
              <button type="button" className="button" onClick={() => geo.remove(index)}>
                Remove geo payout {index + 1}
              </button>
            </div>
          ))}
          <div className="form-actions-inline">
            <button type="button" className="button" onClick={() => geo.append({ countries: '', amount: '', percent: '' })}>
              Add geo payout
            </button>
          </div>

          <h3 className="subsection">Revenue</h3>
          <SelectField<OfferFormValues> name="revenue.mode" label="Revenue mode" choices={REVENUE_MODES} hint="What the advertiser pays, for revenue and profit in reports." />
          {revenueMode ? (
            <div className="field-row">
              <TextField<OfferFormValues> name="revenue.amount" label="Revenue amount" inputMode="decimal" hint={amountHint} options={padAmount('revenue.amount')} />
              <TextField<OfferFormValues> name="revenue.percent" label="Revenue percent" inputMode="decimal" hint="A share of the sale amount." />
            </div>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>Tracking</legend>
          <SelectField<OfferFormValues>
            name="affiliateNetworkId"
            label="Affiliate network"
            choices={[{ value: '', label: networks.isLoading ? 'Loading…' : 'None' }, ...(networks.data?.data ?? []).map((network) => ({ value: network.id, label: network.name }))]}
          />
          <CheckboxField<OfferFormValues> name="appendClickId" label="Add the click ID to the destination" />
          <CheckboxField<OfferFormValues> name="directTracking" label="Direct tracking" hint="Record visits that reach the lander without the tracking link." />
          <TextAreaField<OfferFormValues> name="allowedOrigins" label="Allowed origins" rows={3} hint="One per line, such as https://shop.example. Empty allows any." />
          <SelectField<OfferFormValues>
            name="keywords.setId"
            label="Keyword set"
            hint="Each click draws keywords from the set for {keyword} and {kw1}…{kw5} in the site link."
            choices={[
              { value: '', label: keywordSets.isLoading ? 'Loading…' : 'None' },
              ...(keywordSets.data?.data ?? []).map((set) => ({ value: set.id, label: set.name })),
              // A set archived since keeps its name on the offer that still uses it.
              ...(offer?.keywords && !(keywordSets.data?.data ?? []).some((set) => set.id === offer.keywords?.setId) ? [{ value: offer.keywords.setId, label: offer.keywords.setId }] : []),
            ]}
          />
          <TextField<OfferFormValues> name="keywords.slots" label="Keyword slots" type="number" inputMode="numeric" min={1} step={1} hint="How many distinct keywords a click draws (1 to 5): {kw1} … {kw5}." />
        </fieldset>

        <fieldset>
          <legend>Cap</legend>
          <div className="field-row">
            <TextField<OfferFormValues> name="cap.daily" label="Daily cap" type="number" inputMode="numeric" min={1} step={1} hint="Conversions per day." />
            <TextField<OfferFormValues> name="cap.total" label="Total cap" type="number" inputMode="numeric" min={1} step={1} />
          </div>
          <SelectField<OfferFormValues>
            name="cap.fallbackOfferId"
            label="Fallback offer"
            hint="Takes the traffic once the cap is reached."
            choices={[
              { value: '', label: 'None' },
              // The offer's own fallback stays listed even when it is not among the first 500 offers.
              ...(offer?.cap?.fallbackOfferId && !otherOffers.some((other) => other.id === offer.cap?.fallbackOfferId)
                ? [{ value: offer.cap.fallbackOfferId, label: offer.cap.fallbackOfferId }]
                : []),
              ...otherOffers.map((other) => ({ value: other.id, label: other.name })),
            ]}
          />
        </fieldset>

        <fieldset>
          <legend>E-mail</legend>
          <CheckboxField<OfferFormValues> name="email.enabled" label="Send e-mail" hint="On each accepted conversion." />
          {emailEnabled ? (
            <>
              <TextField<OfferFormValues> name="email.to" label="E-mail recipients" hint="Addresses separated by commas." />
              <TextField<OfferFormValues> name="email.subject" label="E-mail subject" />
            </>
          ) : null}
          <TextAreaField<OfferFormValues> name="email.template" label="E-mail template" hint="Macros such as {offer_id} and {payout} are filled in." />
        </fieldset>

        <fieldset>
          <legend>Notes</legend>
          <TextAreaField<OfferFormValues> name="notes" label="Notes" />
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            Save
          </button>
          <button type="button" className="button" onClick={() => window.history.back()}>
            Cancel
          </button>
          {save.isPending ? <span role="status">Saving…</span> : null}
        </div>
      </form>
    </FormProvider>
  );
}
