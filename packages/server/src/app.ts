import { randomUUID } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import packageJson from '../package.json' with { type: 'json' };
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { consoleRoutes } from './console.js';
import type { AppContext } from './context.js';
import { type CountryLookup, countryLookupFor } from './geo/geoip.js';
import { accessLog } from './http/access-log.js';
import { Api } from './http/api.js';
import { errorHandler, notFoundHandler, sendError } from './http/errors.js';
import { installLane, type RequestHook } from './http/lane.js';
import { Metrics, metricsEndpoint } from './metrics.js';
import { sessionSettings } from './accounts/sessions.js';
import { affiliateNetworkRoutes } from './routes/affiliate-networks.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditRoutes } from './routes/audit.js';
import { campaignRoutes } from './routes/campaigns.js';
import { conversionRoutes } from './routes/conversions.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { landerRoutes } from './routes/landers.js';
import { keywordSetRoutes } from './routes/keyword-sets.js';
import { localFileRoutes } from './routes/local-files.js';
import { offerRoutes } from './routes/offers.js';
import { paymentRoutes } from './routes/payments.js';
import { promoCodeRoutes } from './routes/promo-codes.js';
import { publisherPostbackRoutes } from './routes/publisher-postback.js';
import { publisherRoutes } from './routes/publishers.js';
import { reportRoutes } from './routes/reports.js';
import { trafficSourceRoutes } from './routes/traffic-sources.js';
import { sessionRoutes } from './routes/session.js';
import { settingsRoutes } from './routes/settings.js';
import { userRoutes } from './routes/users.js';
import { browserScript } from './routes/script.js';
import { campaignLaneRoutes } from './routes/campaign-tracking.js';
import { clickLaneRoute, trackingRoutes } from './routes/tracking.js';
import { webhookRoutes } from './routes/webhooks.js';
import { workspaceRoutes } from './routes/workspaces.js';
import type { Store } from './storage/index.js';

export const VERSION: string = packageJson.version;

export interface CreateAppOptions {
  store: Store;
  config: Config;
  /** @default the system clock */
  clock?: Clock;
  /** Where unexpected errors are reported. @default console.error */
  log?: (error: unknown) => void;
  /** Finds a visitor's country from their IP address. @default the database `config.geoipDb` names, read once per process */
  countryLookup?: CountryLookup | undefined;
  /**
   * The Prometheus metrics, passed in to share them with the outbox dispatcher.
   * @default new ones when `config.metricsToken` is set, else none
   */
  metrics?: Metrics | undefined;
}

/** Builds the Express application. It does not listen: `listen()` does, so tests can bind port 0. */
export function createApp({
  store,
  config,
  clock = systemClock,
  log = console.error,
  countryLookup = countryLookupFor(config.geoipDb),
  metrics = config.metricsToken ? new Metrics(store) : undefined,
}: CreateAppOptions): express.Express {
  const context: AppContext = { store, config, clock, metrics, countryLookup };
  const app = express();
  app.disable('x-powered-by');
  // Answers are per request (tracking, fresh API reads); hashing every body for an ETag nobody revalidates costs CPU.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  // Every request, on the tracking lane too: the access log, the metrics, and the request id.
  const hooks: RequestHook[] = [];
  if (config.accessLog) hooks.push(accessLog());
  if (metrics) hooks.push(metrics.requests());
  hooks.push((req, res, next) => {
    const incoming = req.get('x-request-id');
    res.setHeader('X-Request-Id', incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID());
    next();
  });
  for (const hook of hooks) app.use(hook);
  // API answers are per key and per moment: never cached, never sniffed (README, Security). The browser endpoints under
  // /v1 are called cross-origin by design, so no Cross-Origin-Resource-Policy.
  app.use('/v1', helmet({ crossOriginResourcePolicy: false }), (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Before the JSON parser: a webhook's signature or ciphertext is over the body's bytes.
  webhookRoutes(app, context);
  app.use(express.json({ limit: '100kb', type: ['application/json', 'application/*+json'] }));

  const router = express.Router();
  const trackingBodyErrors = trackingRoutes(router, context);
  const api = new Api(router, store, { clock, settings: sessionSettings(config) });
  offerRoutes(api, context);
  publisherRoutes(api, context);
  publisherPostbackRoutes(api, context);
  affiliateNetworkRoutes(api, context);
  apiKeyRoutes(api, context);
  conversionRoutes(api, context);
  promoCodeRoutes(api, context);
  paymentRoutes(api, context);
  reportRoutes(api, context);
  deliveryRoutes(api, context);
  trafficSourceRoutes(api, context);
  landerRoutes(api, context);
  campaignRoutes(api, context);
  keywordSetRoutes(api, context);
  localFileRoutes(api, router, context);
  sessionRoutes(api, context);
  userRoutes(api, context);
  settingsRoutes(api, context);
  workspaceRoutes(api, context);
  auditRoutes(api, context);

  app.get('/healthz', async (_req, res) => {
    await store.isEmpty();
    res.json({ status: 'ok', version: VERSION });
  });
  if (metrics && config.metricsToken) app.get('/metrics', metricsEndpoint(metrics, config.metricsToken));
  app.get('/waypost.js', browserScript());
  consoleRoutes(app);
  app.get('/openapi.json', (_req, res) => {
    res.json(api.openapi({ title: 'Waypost', version: VERSION, serverUrl: config.publicUrl }));
  });
  app.use(router);
  app.use(notFoundHandler);
  // Mounted on the app, not the router: the app-wide JSON parser fails before the router is entered.
  app.use(trackingBodyErrors);
  app.use(errorHandler(log));
  // The busiest public links skip Express's router (http/lane.ts).
  installLane(app, [clickLaneRoute(context), ...campaignLaneRoutes(context)], hooks, (error, res) => sendError(res, error, log));
  return app;
}
