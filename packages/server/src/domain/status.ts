import { POSTBACK_STATUS_ALIASES, type Approval, type ConversionStatus } from '@waypost/schema';
import { UnknownStatusError } from './errors.js';

/** What a status change on an existing conversion does. */
export type TransitionOutcome = 'updated' | 'duplicate' | 'conflict';

// Decisions only move forward: approved can still become rejected (a refund), nothing comes back from rejected.
const NEXT: Record<ConversionStatus, readonly ConversionStatus[]> = {
  pending: ['approved', 'rejected'],
  approved: ['rejected'],
  rejected: [],
};

/** `updated` for an allowed change, `duplicate` for the same status (changes nothing), else `conflict` (409). */
export function transition(from: ConversionStatus, to: ConversionStatus): TransitionOutcome {
  if (from === to) return 'duplicate';
  return NEXT[from].includes(to) ? 'updated' : 'conflict';
}

export type PostbackStatus = 'approved' | 'pending' | 'rejected' | 'rebill';

export interface PostbackStatusOptions {
  /** The offer's network `statusMap`, applied first; keys match case-insensitively. */
  statusMap?: Readonly<Record<string, string>> | null | undefined;
  /** What a missing status means: the offer's `approval.defaultStatus`. */
  defaultStatus: Approval['defaultStatus'];
}

export type PostbackStatusResult = { ok: true; status: PostbackStatus } | { ok: false; error: UnknownStatusError };

/** Own keys only, so that "constructor" or "__proto__" are unknown statuses rather than Object's properties. */
function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  const match = Object.keys(table).find((candidate) => candidate.trim().toLowerCase() === key);
  return match === undefined ? undefined : table[match];
}

/**
 * A postback's raw status as ours: the network's statusMap first, then the alias table (README, Postback parameters and
 * statuses), both case-insensitive. Missing or blank means the default status; anything else unknown is refused, never
 * guessed.
 */
export function parsePostbackStatus(raw: string | null | undefined, options: PostbackStatusOptions): PostbackStatusResult {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '') return { ok: true, status: options.defaultStatus };
  const mapped = (options.statusMap ? lookup(options.statusMap, value) : undefined)?.trim().toLowerCase() ?? value;
  const status = lookup(POSTBACK_STATUS_ALIASES, mapped);
  return status ? { ok: true, status } : { ok: false, error: new UnknownStatusError(raw ?? '') };
}
