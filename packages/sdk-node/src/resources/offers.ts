import {
  ArchiveListingSchema,
  type ArchiveListing,
  CreateOfferParamsSchema,
  ListOffersQuerySchema,
  ListQuerySchema,
  OfferLinksQuerySchema,
  OfferLinksSchema,
  OfferSchema,
  PublisherOfferSchema,
  UpdateOfferParamsSchema,
  type CreateOfferParams,
  type Offer,
  type OfferLinks,
  type PublisherOffer,
  type UpdateOfferParams,
} from '@waypost/schema';
import { z } from 'zod';
import type { RequestOptions } from '../client.js';
import { type HttpClient, path } from '../internal/http.js';
import type { ListParams, PagePromise } from '../pagination.js';

// An admin key gets the whole offer; a publisher key gets only what it needs to promote it.
const OfferViewSchema = OfferSchema.or(PublisherOfferSchema);
const ListOffersParamsSchema = ListQuerySchema.extend(ListOffersQuerySchema.shape);

export type ListOffersParams = z.input<typeof ListOffersQuerySchema> & ListParams;
export type OfferLinksParams = z.input<typeof OfferLinksQuerySchema>;

/** Offers: destinations with payout rules. */
export class Offers {
  constructor(private readonly http: HttpClient) {}

  /** `GET /v1/offers`, filtered by `status`, `leadType` or `q`. */
  list(params: ListOffersParams = {}, options?: RequestOptions): PagePromise<Offer | PublisherOffer> {
    return this.http.list('/v1/offers', { query: params, schema: ListOffersParamsSchema, item: OfferViewSchema }, options);
  }

  /** `POST /v1/offers` (admin). */
  create(params: CreateOfferParams, options?: RequestOptions): Promise<Offer> {
    return this.http.post('/v1/offers', { body: params, schema: CreateOfferParamsSchema, response: OfferSchema }, options);
  }

  /** `GET /v1/offers/:id`. */
  retrieve(id: string, options?: RequestOptions): Promise<Offer | PublisherOffer> {
    return this.http.get(path`/v1/offers/${id}`, { response: OfferViewSchema }, options);
  }

  /** `PATCH /v1/offers/:id` (admin): any subset of the fields; the server checks the merged offer as a whole. */
  update(id: string, params: UpdateOfferParams, options?: RequestOptions): Promise<Offer> {
    return this.http.patch(path`/v1/offers/${id}`, { body: params, schema: UpdateOfferParamsSchema, response: OfferSchema }, options);
  }

  /** `DELETE /v1/offers/:id` (admin): archives the offer. It stops tracking; its history stays. */
  archive(id: string, options?: RequestOptions): Promise<Offer> {
    return this.http.delete(path`/v1/offers/${id}`, { response: OfferSchema }, options);
  }

  /**
   * `PUT /v1/offers/:id/archive`: a zip of static files with an `index.html`, served at `PUBLIC_URL/o/OFFER_ID/`, which
   * clicks then go to instead of the offer URL; a `WaypostValidationError` names what the server refused.
   */
  uploadArchive(id: string, zip: Uint8Array, options?: RequestOptions): Promise<ArchiveListing> {
    return this.http.putBytes(path`/v1/offers/${id}/archive`, { data: zip, contentType: 'application/zip', response: ArchiveListingSchema }, options);
  }

  /** `GET /v1/offers/:id/archive`: the archive and its files; a `WaypostNotFoundError` when it has none. */
  retrieveArchive(id: string, options?: RequestOptions): Promise<ArchiveListing> {
    return this.http.get(path`/v1/offers/${id}/archive`, { response: ArchiveListingSchema }, options);
  }

  /** `DELETE /v1/offers/:id/archive`: clicks go to the offer URL again. */
  deleteArchive(id: string, options?: RequestOptions): Promise<void> {
    return this.http.delete(path`/v1/offers/${id}/archive`, { response: z.undefined() }, options);
  }

  /** `POST /v1/offers/:id/rotate-token` (admin): replaces the postback token; the old one stops working. */
  rotateToken(id: string, options?: RequestOptions): Promise<Offer> {
    return this.http.post(path`/v1/offers/${id}/rotate-token`, { response: OfferSchema }, options);
  }

  /** `GET /v1/offers/:id/links`: tracking, postback and pixel URLs and the script snippets, for one publisher. */
  links(id: string, params: OfferLinksParams = {}, options?: RequestOptions): Promise<OfferLinks> {
    return this.http.get(path`/v1/offers/${id}/links`, { query: params, schema: OfferLinksQuerySchema, response: OfferLinksSchema }, options);
  }
}
