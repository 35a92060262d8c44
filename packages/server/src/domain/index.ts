/**
 * The payout engine: pure functions over plain data, no database and no HTTP. Money is integer minor units;
 * every chain is exact and rounded once, half away from zero. See README.md for the decisions behind it.
 */
export { approvalDueAt, isDueForApproval } from './approval.js';
export { addDays, dayBounds, localDate, periodBounds, periodKey, startOfLocalDay } from './calendar.js';
export type { Bounds, Instant, Period } from './calendar.js';
export { capDay, isCapReached, offerTimezone } from './cap.js';
export type { CapCounts } from './cap.js';
export { DomainError, FxRateMissingError, isDomainError, isFxRateMissingError, isUnknownStatusError, UnknownStatusError } from './errors.js';
export type { DomainErrorCode } from './errors.js';
export { convertMoney, FX_RATE_PLACES, fxRate, ratesFromQuotes } from './fx.js';
export type { ConvertMoneyResult, FxTable } from './fx.js';
export { clickPayout, computeConversionPayout, impressionPayout, selectPayoutRule } from './payout.js';
export type {
  ConversionMoney,
  ConversionPayout,
  ConversionPayoutResult,
  PayoutOffer,
  PayoutReason,
  PayoutRuleMatch,
  PayoutRuleSource,
  PayoutTarget,
  PersonalPayoutRule,
} from './payout.js';
export { parsePostbackStatus, transition } from './status.js';
export type { PostbackStatus, PostbackStatusOptions, PostbackStatusResult, TransitionOutcome } from './status.js';
export { admitToThreshold, forfeitedPayouts, thresholdOutcome, thresholdPeriodState } from './threshold.js';
export type {
  ConversionKind,
  ForfeitedPayout,
  ThresholdAdmission,
  ThresholdEntry,
  ThresholdOutcome,
  ThresholdPeriodState,
} from './threshold.js';
export { retryDelay, RETRY_JITTER } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { postbackSignature } from './signature.js';
