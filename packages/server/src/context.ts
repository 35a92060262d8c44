import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Metrics } from './metrics.js';
import type { Store } from './storage/index.js';

/** What every route and service is given: storage, configuration and the clock. */
export interface AppContext {
  store: Store;
  config: Config;
  clock: Clock;
  /** The Prometheus counters; absent when `/metrics` is off, and then nothing is counted. */
  metrics?: Metrics | undefined;
}
