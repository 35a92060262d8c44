export { Waypost } from './client.js';
export type { RequestOptions, WaypostOptions } from './client.js';
export type { ClickIdRequest } from './click-id.js';
export {
  isWaypostAPIError,
  isWaypostAuthenticationError,
  isWaypostConflictError,
  isWaypostConnectionError,
  isWaypostError,
  isWaypostNotFoundError,
  isWaypostPermissionError,
  isWaypostRateLimitError,
  isWaypostValidationError,
  WaypostAPIError,
  WaypostAuthenticationError,
  WaypostConflictError,
  WaypostConnectionError,
  WaypostError,
  WaypostNotFoundError,
  WaypostPermissionError,
  WaypostRateLimitError,
  WaypostValidationError,
} from './errors.js';
export type { ErrorIssue, WaypostErrorInit } from './errors.js';
export { Page, PagePromise } from './pagination.js';
export type { ListParams } from './pagination.js';
export { Audit } from './resources/audit.js';
export type { ListAuditParams } from './resources/audit.js';
export { Campaigns } from './resources/campaigns.js';
export type { ListCampaignsParams } from './resources/campaigns.js';
export { Clicks } from './resources/clicks.js';
export type { ListClicksParams } from './resources/clicks.js';
export { Conversions } from './resources/conversions.js';
export type { ConversionFilters, ListConversionsParams } from './resources/conversions.js';
export { KeywordSets } from './resources/keyword-sets.js';
export type { ListKeywordSetsParams } from './resources/keyword-sets.js';
export { Landers } from './resources/landers.js';
export type { ListLandersParams } from './resources/landers.js';
export { Offers } from './resources/offers.js';
export type { ListOffersParams, OfferLinksParams } from './resources/offers.js';
export { Payments } from './resources/payments.js';
export type { ListPaymentsParams } from './resources/payments.js';
export { PromoCodeRequests, PromoCodes } from './resources/promo-codes.js';
export type { ListPromoCodeRequestsParams, ListPromoCodesParams } from './resources/promo-codes.js';
export { Publishers } from './resources/publishers.js';
export type { ListPublishersParams } from './resources/publishers.js';
export { Reports } from './resources/reports.js';
export type { ReportParams } from './resources/reports.js';
export { TrafficSources } from './resources/traffic-sources.js';
export type { ListTrafficSourcesParams } from './resources/traffic-sources.js';
export { Transactions } from './resources/transactions.js';
export { Users } from './resources/users.js';
export type { ListUsersParams } from './resources/users.js';
export { Workspaces } from './resources/workspaces.js';
export { VERSION } from './version.js';

// The wire types, from the shared contract (bundled into this package's declarations).
export type {
  ArchiveFile,
  ArchiveListing,
  AuditChange,
  AuditEntry,
  Balance,
  Campaign,
  CampaignLinks,
  Click,
  Conversion,
  ConversionCreated,
  ConversionResult,
  ConversionStatus,
  CreateCampaignParams,
  CreateConversionParams,
  CreateKeywordSetParams,
  CreateLanderParams,
  CreateOfferParams,
  CreatePaymentParams,
  CreatePromoCodeRequestParams,
  CreatePublisherParams,
  CreateTrafficSourceParams,
  CreateTransactionParams,
  CreateUserParams,
  CreateWorkspaceParams,
  DecidePromoCodeRequestParams,
  InvitedUser,
  Keyword,
  KeywordSet,
  KeywordSetMode,
  Lander,
  LocalArchive,
  Offer,
  OfferLinks,
  Payment,
  PaymentItem,
  PromoCode,
  PromoCodeRequest,
  Publisher,
  PublisherOffer,
  Report,
  ReportDimension,
  ReplaceCampaignParams,
  ReportRow,
  Stream,
  StreamAction,
  StreamFilter,
  TrafficSource,
  UpdateCampaignParams,
  UpdateConversionParams,
  UpdateKeywordSetParams,
  UpdateLanderParams,
  UpdateOfferParams,
  UpdatePublisherParams,
  UpdateTrafficSourceParams,
  UpdateUserParams,
  UpdateWorkspaceParams,
  User,
  UserRole,
  UserStatus,
  Workspace,
  WorkspaceVisibility,
} from '@waypost/schema';
