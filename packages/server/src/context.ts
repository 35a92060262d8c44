import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { CountryLookup } from './geo/geoip.js';
import type { Metrics } from './metrics.js';
import type { Store } from './storage/index.js';

/** What every route and service is given: storage, configuration and the clock. */
export interface AppContext {
  store: Store;
  config: Config;
  clock: Clock;
  /** The visitor's country from their IP address, when no trusted header gives it. @default none */
  countryLookup?: CountryLookup | undefined;
  /** The Prometheus counters; absent when `/metrics` is off, and then nothing is counted. */
  metrics?: Metrics | undefined;
}
