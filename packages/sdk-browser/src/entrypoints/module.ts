// The ES module build: importing it has no side effects; `createTracker()` starts tracking.
export { isClickId } from '../click-id.js';
export { drainQueue, STUB_SNIPPET, type QueuedCall } from '../queue.js';
export { STORAGE_KEY } from '../storage.js';
export { createTracker } from '../tracker.js';
export type {
  ConversionResult,
  ConvertParams,
  Tracker,
  TrackerEvents,
  TrackerMethods,
  TrackerOptions,
  TrackingParams,
} from '../types.js';
