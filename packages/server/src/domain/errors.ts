/**
 * Errors of the payout engine. Each one is about the request being computed (a currency without a rate, a status
 * nobody knows), so the server answers every one of them with 422 and its `code`.
 */
export type DomainErrorCode = 'fx_rate_missing' | 'unknown_currency' | 'invalid_amount' | 'amount_too_large' | 'unknown_status';

export class DomainError extends Error {
  override readonly name: string = 'DomainError';

  constructor(
    /** The snake_case code the API returns. */
    readonly code: DomainErrorCode,
    message: string,
    /** The request field at fault, as the API names it (`currency`, `amount`, `status`…). */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** No FX rate is set for a currency a conversion needs converting. */
export class FxRateMissingError extends DomainError {
  override readonly name = 'FxRateMissingError';

  constructor(
    /** The currency that has no rate. */
    readonly currency: string,
    accountCurrency: string,
  ) {
    super(
      'fx_rate_missing',
      `no FX rate for ${currency}: set one with PUT /v1/fx-rates as the number of ${accountCurrency} for one ${currency}`,
      'currency',
    );
  }
}

/** A postback status that is neither in the network's statusMap nor in the alias table. It is never guessed. */
export class UnknownStatusError extends DomainError {
  override readonly name = 'UnknownStatusError';

  constructor(
    /** The status as received. */
    readonly status: string,
  ) {
    super('unknown_status', `unknown status "${status.slice(0, 64)}": use approved, pending, rejected or rebill, or map it in the network's statusMap`, 'status');
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

export function isFxRateMissingError(error: unknown): error is FxRateMissingError {
  return error instanceof FxRateMissingError;
}

export function isUnknownStatusError(error: unknown): error is UnknownStatusError {
  return error instanceof UnknownStatusError;
}
