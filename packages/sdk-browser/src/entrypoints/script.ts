// The script-tag build (`dist/waypost.js`), configured by the data-* attributes of its own <script> element.
import { drainQueue, type QueuedCall } from '../queue.js';
import { createTracker } from '../tracker.js';
import type { Tracker, TrackerOptions } from '../types.js';

const w = window as { waypost?: Partial<Tracker> & { q?: QueuedCall[] } };
const script = document.currentScript as HTMLScriptElement;
try {
  // A second copy of the script on the page must not track twice.
  if (!w.waypost?.convert) {
    const data = script.dataset;
    const tracker = createTracker({ ...data, endpoint: data.endpoint || new URL(script.src).origin } as TrackerOptions);
    const queue = w.waypost?.q;
    w.waypost = tracker;
    drainQueue(tracker, queue);
    // The conversion takes the names it knows from the attributes: amount, currency, transactionId, event, coupon.
    if (data.convert != null) tracker.convert(data);
  }
} catch {
  // Without its own element the script has no configuration, not even data-debug: there is nothing to report to.
}
