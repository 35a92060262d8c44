#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ApiKeyRoleSchema } from '@waypost/schema';
import { VERSION } from './app.js';
import { systemClock } from './clock.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { formatDemo, seedDemo } from './demo.js';
import { createApiKey } from './keys.js';
import { startServer } from './server.js';
import { openStore, type Store } from './storage/index.js';

const USAGE = `waypost ${VERSION} — the Waypost reference server

Usage:
  waypost serve                    run the server
  waypost start                    seed the demo on an empty database, then serve (what \`npm start\` runs)
  waypost migrate                  apply pending database migrations
  waypost demo                     seed a demo offer, publisher and keys on an empty database; print their links
  waypost keys create --role admin|publisher [--publisher ID] [--name NAME]

Options (each overrides its environment variable):
  --database-url URL   WAYPOST_DATABASE_URL   file:PATH or postgres://…   (default file:./waypost.db)
  --port N             WAYPOST_PORT                                       (default 8787)
  --public-url URL     WAYPOST_PUBLIC_URL                                 (default http://localhost:8787)
  --currency CODE      WAYPOST_CURRENCY                                   (default USD)
  --timezone TZ        WAYPOST_TIMEZONE                                   (default UTC)
  --country-header H   WAYPOST_COUNTRY_HEADER                             (default cf-ipcountry; off for none)
  --geoip-db PATH      WAYPOST_GEOIP_DB       MMDB country file, or off   (default built-in)
  --trust-proxy V      WAYPOST_TRUST_PROXY                                (default off)
  --smtp-url URL       WAYPOST_SMTP_URL                                   (default none: e-mails wait)
  --smtp-from ADDRESS  WAYPOST_SMTP_FROM                                  (default Waypost <waypost@HOST>)
  --delivery-attempts N          WAYPOST_DELIVERY_ATTEMPTS        tries per postback or e-mail (default 12)
  --delivery-backoff-ms MS       WAYPOST_DELIVERY_BACKOFF_MS      first retry wait, doubling (default 30000)
  --delivery-backoff-max-ms MS   WAYPOST_DELIVERY_BACKOFF_MAX_MS  longest retry wait (default 21600000)
  --delivery-timeout-ms MS       WAYPOST_DELIVERY_TIMEOUT_MS      time limit of one try (default 10000)
  --delivery-poll-ms MS          WAYPOST_DELIVERY_POLL_MS         outbox poll interval (default 5000)
  --allow-private-destinations B WAYPOST_ALLOW_PRIVATE_DESTINATIONS  true lets postbacks reach loopback and private addresses (default false)
  --log-retention-days N         WAYPOST_LOG_RETENTION_DAYS       days the postback and delivery logs are kept (default 90)
  --metrics-token T              WAYPOST_METRICS_TOKEN            turns on GET /metrics behind this bearer token (default off)
`;

const CONFIG_FLAGS = {
  'database-url': 'databaseUrl',
  port: 'port',
  'public-url': 'publicUrl',
  currency: 'currency',
  timezone: 'timezone',
  'country-header': 'countryHeader',
  'geoip-db': 'geoipDb',
  'trust-proxy': 'trustProxy',
  'smtp-url': 'smtpUrl',
  'smtp-from': 'smtpFrom',
  'delivery-attempts': 'deliveryAttempts',
  'delivery-backoff-ms': 'deliveryBackoffMs',
  'delivery-backoff-max-ms': 'deliveryBackoffMaxMs',
  'delivery-timeout-ms': 'deliveryTimeoutMs',
  'delivery-poll-ms': 'deliveryPollMs',
  'allow-private-destinations': 'allowPrivateDestinations',
  'log-retention-days': 'logRetentionDays',
  'metrics-token': 'metricsToken',
} as const satisfies Record<string, keyof Config>;

/** Opens and migrates the store, runs `fn`, closes. `fn` gets the versions the migration applied. */
async function withStore<T>(config: Config, fn: (store: Store, applied: number[]) => Promise<T>): Promise<T> {
  const store = openStore(config.databaseUrl);
  try {
    return await fn(store, await store.migrate());
  } finally {
    await store.close();
  }
}

async function serve(config: Config, withDemo: boolean): Promise<void> {
  const running = await startServer(config);
  if (withDemo) {
    const seed = await seedDemo({ store: running.store, config, clock: systemClock });
    if (seed) console.log(`${formatDemo(seed)}\n`);
  }
  console.log(`Waypost ${VERSION} listening on ${running.url} (links use ${config.publicUrl})`);
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(Object.keys(CONFIG_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      role: { type: 'string' },
      publisher: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub] = positionals;
  if (values.help || !command || command === 'help') {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  const overrides: Partial<Record<keyof Config, string>> = {};
  for (const [flag, key] of Object.entries(CONFIG_FLAGS)) {
    const value = values[flag as keyof typeof values];
    if (typeof value === 'string') overrides[key] = value;
  }
  const config = loadConfig(process.env, overrides);

  switch (command) {
    case 'serve':
    case 'start':
      await serve(config, command === 'start');
      return -1;
    case 'migrate': {
      const applied = await withStore(config, async (_store, versions) => versions);
      console.log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database is up to date');
      return 0;
    }
    case 'demo':
      return withStore(config, async (store) => {
        const seed = await seedDemo({ store, config, clock: systemClock });
        if (!seed) {
          console.error('The database is not empty and has no demo offer; nothing was seeded.');
          return 1;
        }
        console.log(formatDemo(seed));
        return 0;
      });
    case 'keys': {
      if (sub !== 'create') break;
      const role = ApiKeyRoleSchema.safeParse(values.role);
      if (!role.success) {
        console.error('--role must be "admin" or "publisher"');
        return 1;
      }
      return withStore(config, async (store) => {
        if (role.data === 'publisher' && (!values.publisher || !(await store.publishers.get(values.publisher)))) {
          console.error(values.publisher ? `no publisher "${values.publisher}"` : '--publisher ID is required for a publisher key');
          return 1;
        }
        if (role.data === 'admin' && values.publisher) {
          console.error('--publisher is only allowed with --role publisher');
          return 1;
        }
        const key = await createApiKey(
          { store, clock: systemClock },
          { role: role.data, ...(values.publisher ? { publisherId: values.publisher } : {}), ...(values.name ? { name: values.name } : {}) },
        );
        console.log(key.key);
        return 0;
      });
    }
  }
  console.error(`unknown command "${[command, sub].filter(Boolean).join(' ')}"\n\n${USAGE}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 1;
  },
);
