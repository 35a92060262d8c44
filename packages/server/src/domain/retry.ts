/** How often and how patiently an outbound delivery is tried. */
export interface RetryPolicy {
  /** Tries in all, the first included; the last failure makes the delivery `failed`. */
  maxAttempts: number;
  /** The wait after the first failure; each later failure doubles it. */
  backoffMs: number;
  /** The longest wait between two tries, before jitter. */
  backoffMaxMs: number;
}

/** Each wait is lengthened by up to this share, at random, so that deliveries that failed together spread out. */
export const RETRY_JITTER = 0.25;

/**
 * The wait before the next try after `failedAttempts` failures: `backoffMs × 2^(failedAttempts − 1)`, capped at
 * `backoffMaxMs`, then lengthened by `random` (0 ≤ random < 1) × {@link RETRY_JITTER}. Null once `maxAttempts`
 * tries have failed: the delivery is given up.
 */
export function retryDelay(failedAttempts: number, policy: RetryPolicy, random: number): number | null {
  if (failedAttempts >= policy.maxAttempts) return null;
  const wait = Math.min(policy.backoffMaxMs, policy.backoffMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.floor(wait * (1 + RETRY_JITTER * random));
}
