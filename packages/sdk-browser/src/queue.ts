import type { Tracker, TrackerMethods } from './types.js';

/**
 * The stub a page defines before the script loads, so that early calls are queued rather than lost. Each call
 * is `waypost(method, ...args)`, as in `waypost('convert', { amount: '49.90' })`.
 */
export const STUB_SNIPPET =
  'window.waypost=window.waypost||function(){(window.waypost.q=window.waypost.q||[]).push(arguments)};';

/** A call recorded by the stub: the method name, then its arguments. */
export type QueuedCall = ArrayLike<unknown> & Iterable<unknown>;

/** Runs the calls queued by the stub, in the order they were made; a bad call is skipped, not thrown. */
export const drainQueue = (tracker: Tracker, queue: QueuedCall[] = []): void => {
  for (const [method, ...args] of queue) {
    try {
      (tracker[method as keyof TrackerMethods] as (...args: unknown[]) => unknown)(...args);
    } catch {
      // The stub's caller passed a method that does not exist; the page must not break over it.
    }
  }
};
