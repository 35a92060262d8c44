import { zodResolver } from '@hookform/resolvers/zod';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { CreatePromoCodeRequestParamsSchema, type Offer, type OfferLinks, type PromoCodeRequest } from '@waypost/schema';
import { useEffect, useId, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { api, errorMessage, isApiRequestError, type Page } from '../api.js';
import { CopyField } from '../components/copy-field.js';
import { Dialog } from '../components/dialog.js';
import { TextField } from '../components/fields.js';
import { placeIssues } from '../form-errors.js';
import { describePayout } from '../format.js';
import { useCurrentSession } from '../session.js';
import { withSubs } from './offer-page.js';
import type { PortalOffersSearch } from './portal-search.js';
import './portal.css';

const PAGE_SIZE = 50;

/** `/portal/offers`: the offers this publisher may promote (the API lists only those), with their link and promo codes. */
export function PortalOffersScreen() {
  const search = useSearch({ strict: false }) as PortalOffersSearch;
  const navigate = useNavigate();
  const setSearch = (next: PortalOffersSearch) => void navigate({ to: '/portal/offers', search: next });
  const [typed, setTyped] = useState(search.q ?? '');
  useEffect(() => setTyped(search.q ?? ''), [search.q]);
  const [open, setOpen] = useState<{ kind: 'link' | 'promo'; offer: Offer } | null>(null);

  const offers = useQuery({
    queryKey: ['portal', 'offers', search],
    queryFn: () => api.get<Page<Offer>>('/v1/offers', { q: search.q, cursor: search.cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  return (
    <section className="screen" aria-labelledby="portal-offers-title">
      <header className="screen-header">
        <h1 id="portal-offers-title">Offers</h1>
      </header>
      <form
        className="filters"
        role="search"
        aria-label="Filter offers"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch({ q: typed.trim() || undefined });
        }}
      >
        <div className="field">
          <label htmlFor="portal-offers-search">Search</label>
          <input id="portal-offers-search" type="search" value={typed} onChange={(event) => setTyped(event.target.value)} placeholder="Name or ID" />
        </div>
        <button type="submit" className="button">
          Filter
        </button>
      </form>

      {offers.isError ? (
        <div className="alert alert-error" role="alert">
          <p>The offers could not be loaded: {errorMessage(offers.error)}</p>
          <button type="button" className="button" onClick={() => void offers.refetch()}>
            Try again
          </button>
        </div>
      ) : offers.isPending ? (
        <p role="status" className="loading">
          Loading offers…
        </p>
      ) : offers.data.data.length === 0 ? (
        <div className="empty" role="status">
          <p>{search.q ? 'No offers match this search.' : 'No offers to promote yet. The program manager shares offers with you; they show here.'}</p>
        </div>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Offers table">
          <table className="data-table" aria-labelledby="portal-offers-title" aria-busy={offers.isFetching}>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Offer name</th>
                <th scope="col">Lead type</th>
                <th scope="col">Payout</th>
                <th scope="col">Countries</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {offers.data.data.map((offer) => (
                <tr key={offer.id}>
                  <td data-label="ID">
                    <code>{offer.id}</code>
                  </td>
                  {/* The buttons name their offer as their description, for screen readers moving from button to button. */}
                  <td data-label="Offer name" id={`portal-offer-${offer.id}`}>
                    {offer.name}
                  </td>
                  <td data-label="Lead type">{offer.leadType ?? '—'}</td>
                  <td data-label="Payout">
                    <span className="nowrap">{describePayout(offer)}</span>
                  </td>
                  <td data-label="Countries">{offer.countries.length ? offer.countries.join(', ') : 'All'}</td>
                  <td data-label="Actions">
                    <div className="button-row">
                      <button type="button" className="button" onClick={() => setOpen({ kind: 'link', offer })} aria-describedby={`portal-offer-${offer.id}`}>
                        Get link
                      </button>
                      <button type="button" className="button" onClick={() => setOpen({ kind: 'promo', offer })} aria-describedby={`portal-offer-${offer.id}`}>
                        Get promo code
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <nav className="pagination" aria-label="Offers pages">
        {search.cursor ? (
          <button type="button" className="button" onClick={() => setSearch({ ...search, cursor: undefined })}>
            First page
          </button>
        ) : null}
        {offers.data?.nextCursor ? (
          <button type="button" className="button" onClick={() => setSearch({ ...search, cursor: offers.data.nextCursor ?? undefined })}>
            Next page
          </button>
        ) : null}
      </nav>

      {open?.kind === 'link' ? <GetLinkDialog offer={open.offer} onClose={() => setOpen(null)} /> : null}
      {open?.kind === 'promo' ? <GetPromoCodeDialog offer={open.offer} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

/** The publisher's tracking link to an offer (`GET /v1/offers/:id/links`, pinned to them by the API), with sub ids. */
function GetLinkDialog({ offer, onClose }: { offer: Offer; onClose: () => void }) {
  const id = useId();
  const [subs, setSubs] = useState<string[]>(['', '', '', '', '']);
  const links = useQuery({
    queryKey: ['portal', 'offer', offer.id, 'links'],
    queryFn: () => api.get<OfferLinks>(`/v1/offers/${encodeURIComponent(offer.id)}/links`),
  });
  return (
    <Dialog title={`Tracking link: ${offer.name}`} onClose={onClose}>
      <p className="field-hint">Sub IDs come back in your reports and postbacks: a placement, a creative, your own click id.</p>
      <div className="field-row">
        {subs.map((value, index) => (
          <div className="field" key={index}>
            <label htmlFor={`${id}-sub${index + 1}`}>{`Sub ${index + 1}`}</label>
            <input id={`${id}-sub${index + 1}`} value={value} onChange={(event) => setSubs(subs.map((sub, at) => (at === index ? event.target.value : sub)))} />
          </div>
        ))}
      </div>
      {links.isError ? (
        <p role="alert">The link could not be made: {errorMessage(links.error)}</p>
      ) : links.isPending ? (
        <p role="status">Making the link…</p>
      ) : null}
      <CopyField label="Tracking URL" value={links.data ? withSubs(links.data.trackingUrl, subs) : ''} buttonLabel="Copy tracking URL" />
    </Dialog>
  );
}

const PromoRequestFormSchema = CreatePromoCodeRequestParamsSchema.pick({ platform: true });
type PromoRequestForm = { platform: string };

/** Plainer words than zod's for an empty field; other messages are the schema's own, as the server says them. */
export function emptyFieldMessage(issue: { code: string; origin?: string; minimum?: unknown; input?: unknown }): string | undefined {
  if (issue.code === 'invalid_type' && (issue.input === undefined || issue.input === null || issue.input === '')) return 'is required';
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'is required';
  return undefined;
}

/** "Get promo code": a request with the platform the code is for, decided by the program manager. */
function GetPromoCodeDialog({ offer, onClose }: { offer: Offer; onClose: () => void }) {
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const form = useForm<PromoRequestForm>({
    resolver: zodResolver(PromoRequestFormSchema, { error: (issue) => emptyFieldMessage(issue as never) }) as never,
    defaultValues: { platform: '' },
  });
  const [formError, setFormError] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: (values: PromoRequestForm) =>
      api.post<PromoCodeRequest>('/v1/promo-codes/requests', { offerId: offer.id, publisherId: session.user.publisherId, platform: values.platform }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['portal', 'promo-code-requests'] }),
    onError: (error) => {
      const { fieldErrors, formErrors } = placeIssues(isApiRequestError(error) ? error.issues : [], ['platform']);
      for (const issue of fieldErrors) form.setError('platform', { message: issue.message });
      setFormError(formErrors.join(' ') || (fieldErrors.length ? null : errorMessage(error)));
    },
  });
  return (
    <Dialog title={`Get promo code: ${offer.name}`} onClose={onClose}>
      {send.isSuccess ? (
        <div role="status">
          <p>
            Request sent for {send.data.platform}. The program manager confirms it with a code or says why not; follow it under{' '}
            <Link to="/portal/promo-codes" search={{ tab: 'requests' }}>
              Promo code requests
            </Link>
            .
          </p>
        </div>
      ) : (
        <FormProvider {...form}>
          <form
            noValidate
            onSubmit={form.handleSubmit((values) => {
              setFormError(null);
              send.mutate(values);
            })}
          >
            {formError ? (
              <p className="alert alert-error" role="alert">
                {formError}
              </p>
            ) : null}
            <TextField<PromoRequestForm> name="platform" label="Platform" hint="Where you will use the code, such as YouTube, Instagram or a newsletter." />
            <button type="submit" className="button button-primary" disabled={send.isPending}>
              Send request
            </button>
          </form>
        </FormProvider>
      )}
    </Dialog>
  );
}
