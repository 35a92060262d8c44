import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { CreatePromoCodeParamsSchema, DecidePromoCodeRequestParamsSchema, type Offer, type PromoCode, type PromoCodeRequest, type Publisher } from '@waypost/schema';
import { useId, useMemo, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { z } from 'zod';
import { api, errorMessage, isApiRequestError, type Page } from '../api.js';
import { Dialog } from '../components/dialog.js';
import { SelectField, TextAreaField, TextField } from '../components/fields.js';
import { placeIssues } from '../form-errors.js';
import { formatDate } from '../format.js';
import { useCurrentSession } from '../session.js';
import { emptyFieldMessage } from './portal-offers.js';
import { LoadError, RequestStatus, useOfferNames } from './portal-promo-codes.js';
import { type AdminPromoCodesSearch, parseAdminPromoCodesSearch } from './portal-search.js';
import './portal.css';

function usePublisherNames(): (id: string) => string {
  const publishers = useQuery({ queryKey: ['publishers', 'options'], queryFn: () => api.get<Page<Publisher>>('/v1/publishers', { limit: 500 }) });
  const names = new Map((publishers.data?.data ?? []).map((publisher) => [publisher.id, publisher.name]));
  return (id) => names.get(id) ?? id;
}

/** Deciding is `POST /v1/promo-codes/requests/:id/decision`, which only owners and admins may call. */
function canDecide(role: string): boolean {
  return role === 'owner' || role === 'admin';
}

/** `/promo-codes` for the merchant's team: publishers' requests to confirm (with a code) or reject (with a reason), and the codes issued. */
export function PromoCodesScreen() {
  const session = useCurrentSession();
  const search = useSearch({ strict: false }) as AdminPromoCodesSearch;
  const navigate = useNavigate();
  const offerName = useOfferNames();
  const publisherName = usePublisherNames();
  const [deciding, setDeciding] = useState<{ decision: 'confirm' | 'reject'; request: PromoCodeRequest } | null>(null);
  const [issuing, setIssuing] = useState(false);
  const status = search.status ?? 'moderation';
  const requests = useQuery({
    queryKey: ['promo-code-requests', status],
    queryFn: () => api.get<Page<PromoCodeRequest>>('/v1/promo-codes/requests', { status: status === 'all' ? undefined : status, limit: 500 }),
  });
  const codes = useQuery({ queryKey: ['promo-codes'], queryFn: () => api.get<Page<PromoCode>>('/v1/promo-codes', { limit: 500 }) });
  const decider = canDecide(session.user.role);

  return (
    <section className="screen" aria-labelledby="promo-codes-title">
      <header className="screen-header">
        <h1 id="promo-codes-title">Promo codes</h1>
      </header>

      <section className="panel" aria-labelledby="promo-requests-title">
        <h2 id="promo-requests-title">Requests</h2>
        <div className="filters">
          <div className="field">
            <label htmlFor="promo-requests-status">Status</label>
            <select
              id="promo-requests-status"
              value={search.status ?? ''}
              onChange={(event) => void navigate({ to: '/promo-codes', search: parseAdminPromoCodesSearch({ status: event.target.value }) })}
            >
              <option value="">Awaiting a decision</option>
              <option value="confirmed">Confirmed</option>
              <option value="rejected">Rejected</option>
              <option value="all">All</option>
            </select>
          </div>
        </div>
        {decider ? null : <p className="field-hint">Owners and admins confirm or reject requests; your role reads them.</p>}
        {requests.isError ? (
          <LoadError what="requests" error={requests.error} retry={() => void requests.refetch()} />
        ) : requests.isPending ? (
          <p role="status">Loading requests…</p>
        ) : requests.data.data.length === 0 ? (
          <div className="empty" role="status">
            <p>{status === 'moderation' ? 'No requests awaiting a decision.' : 'No requests with this status in the last 14 days.'}</p>
          </div>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-labelledby="promo-requests-title">
              <thead>
                <tr>
                  <th scope="col">Publisher</th>
                  <th scope="col">Offer</th>
                  <th scope="col">Platform</th>
                  <th scope="col">Requested</th>
                  <th scope="col">Status</th>
                  <th scope="col">Promo code</th>
                  {decider ? <th scope="col">Decision</th> : null}
                </tr>
              </thead>
              <tbody>
                {requests.data.data.map((request) => (
                  <tr key={request.id}>
                    <td data-label="Publisher">{publisherName(request.publisherId)}</td>
                    <td data-label="Offer">{offerName(request.offerId)}</td>
                    <td data-label="Platform">{request.platform}</td>
                    <td data-label="Requested">{formatDate(request.createdAt)}</td>
                    <td data-label="Status">
                      <RequestStatus request={request} />
                    </td>
                    <td data-label="Promo code">{request.code ? <code>{request.code}</code> : '—'}</td>
                    {decider ? (
                      <td data-label="Decision">
                        {request.status === 'moderation' ? (
                          <div className="button-row">
                            <button type="button" className="button button-primary" onClick={() => setDeciding({ decision: 'confirm', request })}>
                              Confirm
                            </button>
                            <button type="button" className="button" onClick={() => setDeciding({ decision: 'reject', request })}>
                              Reject
                            </button>
                          </div>
                        ) : (
                          formatDate(request.decidedAt)
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="promo-codes-issued-title">
        <div className="screen-header">
          <h2 id="promo-codes-issued-title">Issued codes</h2>
          {decider ? (
            <button type="button" className="button" onClick={() => setIssuing(true)}>
              Issue code
            </button>
          ) : null}
        </div>
        {codes.isError ? (
          <LoadError what="promo codes" error={codes.error} retry={() => void codes.refetch()} />
        ) : codes.isPending ? (
          <p role="status">Loading promo codes…</p>
        ) : codes.data.data.length === 0 ? (
          <div className="empty" role="status">
            <p>No promo codes issued yet. Confirming a request issues its code.</p>
          </div>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-labelledby="promo-codes-issued-title">
              <thead>
                <tr>
                  <th scope="col">Promo code</th>
                  <th scope="col">Offer</th>
                  <th scope="col">Publisher</th>
                  <th scope="col">Issued</th>
                </tr>
              </thead>
              <tbody>
                {codes.data.data.map((code) => (
                  <tr key={code.id}>
                    <td data-label="Promo code">
                      <code>{code.code}</code>
                    </td>
                    <td data-label="Offer">{offerName(code.offerId)}</td>
                    <td data-label="Publisher">{publisherName(code.publisherId)}</td>
                    <td data-label="Issued">{formatDate(code.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {issuing ? <IssueCodeDialog onClose={() => setIssuing(false)} /> : null}
      {deciding ? (
        <DecisionDialog
          decision={deciding.decision}
          request={deciding.request}
          title={`${deciding.decision === 'confirm' ? 'Confirm' : 'Reject'} the request of ${publisherName(deciding.request.publisherId)} for ${offerName(deciding.request.offerId)}`}
          onClose={() => setDeciding(null)}
        />
      ) : null}
    </section>
  );
}

type DecisionForm = { code: string; reason: string };

/** Confirm with a code (the API makes one up when the field is left empty), or reject with a reason the publisher sees. */
function DecisionDialog({ decision, request, title, onClose }: { decision: 'confirm' | 'reject'; request: PromoCodeRequest; title: string; onClose: () => void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const toParams = (values: DecisionForm) =>
    decision === 'confirm'
      ? { decision, ...(values.code.trim() ? { code: values.code.trim() } : {}) }
      : { decision, ...(values.reason.trim() ? { reason: values.reason.trim() } : {}) };
  // The form's values go through the schema the decision endpoint applies, as the body it will get.
  const schema = useMemo(
    () =>
      z
        .custom<DecisionForm>()
        .transform(toParams)
        .pipe(DecidePromoCodeRequestParamsSchema)
        .superRefine((value, ctx) => {
          // The API takes a rejection without a reason; the console asks for one, since the publisher reads it.
          if (value.decision === 'reject' && !value.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required: the publisher reads it' });
        }),
    [decision],
  );
  const form = useForm<DecisionForm>({
    resolver: zodResolver(schema, { error: (issue) => emptyFieldMessage(issue as never) }) as never,
    defaultValues: { code: '', reason: '' },
  });
  const decide = useMutation({
    mutationFn: (params: ReturnType<typeof toParams>) => api.post<PromoCodeRequest>(`/v1/promo-codes/requests/${encodeURIComponent(request.id)}/decision`, params),
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['promo-code-requests'] }), queryClient.invalidateQueries({ queryKey: ['promo-codes'] })]);
      onClose();
    },
    onError: (error) => {
      const { fieldErrors, formErrors } = placeIssues(isApiRequestError(error) ? error.issues : [], ['code', 'reason']);
      for (const issue of fieldErrors) form.setError(issue.field as keyof DecisionForm, { message: issue.message });
      setFormError(formErrors.join(' ') || (fieldErrors.length ? null : errorMessage(error)));
    },
  });
  return (
    <Dialog title={title} onClose={onClose}>
      <p className="field-hint" id={`${id}-platform`}>
        Platform: {request.platform}. Requested {formatDate(request.createdAt)}.
      </p>
      <FormProvider {...form}>
        <form
          noValidate
          onSubmit={form.handleSubmit(() => {
            setFormError(null);
            decide.mutate(toParams(form.getValues()));
          })}
        >
          {formError ? (
            <p className="alert alert-error" role="alert">
              {formError}
            </p>
          ) : null}
          {decision === 'confirm' ? (
            <TextField<DecisionForm> name="code" label="Code" hint="3–32 letters, digits, “-” or “_”. Leave it empty to have one made up." autoComplete="off" />
          ) : (
            <TextAreaField<DecisionForm> name="reason" label="Reason" hint="The publisher sees it beside the rejected request." rows={3} />
          )}
          <div className="button-row">
            <button type="submit" className={decision === 'confirm' ? 'button button-primary' : 'button button-danger'} disabled={decide.isPending}>
              {decision === 'confirm' ? 'Confirm request' : 'Reject request'}
            </button>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      </FormProvider>
    </Dialog>
  );
}

type IssueForm = { offerId: string; publisherId: string; code: string };

/** `POST /v1/promo-codes`: a code given to a publisher without a request, such as one agreed on the phone. */
function IssueCodeDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const offers = useQuery({ queryKey: ['offers', 'names'], queryFn: () => api.get<Page<Offer>>('/v1/offers', { limit: 500 }) });
  const publishers = useQuery({ queryKey: ['publishers', 'options'], queryFn: () => api.get<Page<Publisher>>('/v1/publishers', { limit: 500 }) });
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<IssueForm>({
    resolver: zodResolver(CreatePromoCodeParamsSchema, { error: (issue) => emptyFieldMessage(issue as never) }) as never,
    defaultValues: { offerId: '', publisherId: '', code: '' },
  });
  const issue = useMutation({
    mutationFn: (body: IssueForm) => api.post<PromoCode>('/v1/promo-codes', body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['promo-codes'] });
      onClose();
    },
    onError: (error) => {
      const { fieldErrors, formErrors } = placeIssues(isApiRequestError(error) ? error.issues : [], ['offerId', 'publisherId', 'code']);
      for (const fieldError of fieldErrors) form.setError(fieldError.field as keyof IssueForm, { message: fieldError.message });
      setFormError(formErrors.join(' ') || (fieldErrors.length ? null : errorMessage(error)));
    },
  });
  const choices = (items: { id: string; name: string }[] | undefined, empty: string) => [
    { value: '', label: empty },
    ...(items ?? []).map((item) => ({ value: item.id, label: item.name })),
  ];
  return (
    <Dialog title="Issue a promo code" onClose={onClose}>
      <FormProvider {...form}>
        <form
          noValidate
          onSubmit={form.handleSubmit((values) => {
            setFormError(null);
            issue.mutate(values);
          })}
        >
          {formError ? (
            <p className="alert alert-error" role="alert">
              {formError}
            </p>
          ) : null}
          <SelectField<IssueForm> name="offerId" label="Offer" choices={choices(offers.data?.data, offers.isPending ? 'Loading offers…' : 'Choose an offer')} />
          <SelectField<IssueForm> name="publisherId" label="Publisher" choices={choices(publishers.data?.data, publishers.isPending ? 'Loading publishers…' : 'Choose a publisher')} />
          <TextField<IssueForm> name="code" label="Code" hint="3–32 letters, digits, “-” or “_”; unique on the offer whatever its case." autoComplete="off" />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={issue.isPending}>
              Issue code
            </button>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      </FormProvider>
    </Dialog>
  );
}
