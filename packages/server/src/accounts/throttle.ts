import type { Clock } from '../clock.js';
import { hashSecret } from '../http/auth.js';
import { ApiError } from '../http/errors.js';
import type { Store } from '../storage/index.js';
import { truncateIp } from '../tracking/ip.js';

/** Ten failed sign-ins for one e-mail or from one address within 15 minutes, and the next ones wait (README, Team accounts). */
export const THROTTLE_ATTEMPTS = 10;
export const THROTTLE_WINDOW_MS = 15 * 60_000;

/**
 * The throttle's keys for a request: the e-mail in lower case, and the client address (an IPv6 client by its /48, as
 * it may hold many addresses). Both are hashed, so that the table holds neither, nor a password typed into the e-mail
 * field by mistake.
 */
export function throttleScopes(request: { email?: string | undefined; ip?: string | undefined }, purpose = 'sign-in'): string[] {
  const scopes: string[] = [];
  const email = request.email?.trim().toLowerCase();
  if (email) scopes.push(`${purpose}:email:${hashSecret(email)}`);
  const ip = request.ip?.replace(/^::ffff:(?=\d+\.)/, '');
  if (ip) scopes.push(`${purpose}:ip:${hashSecret(ip.includes(':') ? (truncateIp(ip) ?? ip) : ip)}`);
  return scopes;
}

/** 429 with `Retry-After` (seconds) when any of the scopes has had its ten attempts within the window. */
export async function checkThrottle({ store, clock }: { store: Store; clock: Clock }, scopes: readonly string[]): Promise<void> {
  const now = clock.now().getTime();
  let wait = 0;
  for (const scope of scopes) {
    const recent = await store.signInAttempts.recent(scope, new Date(now - THROTTLE_WINDOW_MS), THROTTLE_ATTEMPTS);
    // Free again when the oldest of the last ten leaves the window.
    if (recent.length >= THROTTLE_ATTEMPTS) wait = Math.max(wait, recent.at(-1)!.getTime() + THROTTLE_WINDOW_MS - now);
  }
  if (wait > 0) {
    const seconds = Math.max(1, Math.ceil(wait / 1000));
    throw new ApiError(429, 'too_many_attempts', `too many attempts; try again in ${Math.ceil(seconds / 60)} minute(s)`, undefined, {
      'Retry-After': String(seconds),
    });
  }
}

/** Counts an attempt (a failed sign-in, a reset request) against each scope. */
export async function recordAttempt({ store, clock }: { store: Store; clock: Clock }, scopes: readonly string[]): Promise<void> {
  const now = clock.now();
  await store.signInAttempts.record(scopes, now, new Date(now.getTime() - THROTTLE_WINDOW_MS));
}
