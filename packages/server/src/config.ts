import { CurrencySchema, describeIssues, TimezoneSchema, toErrorIssues } from '@waypost/schema';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

/** Server configuration; every field comes from a `WAYPOST_*` environment variable and may be overridden by a CLI flag. */
export const ConfigSchema = z.object({
  /** `file:PATH` (embedded SQLite) or `postgres://…`. @default 'file:./waypost.db' */
  databaseUrl: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'must be "file:PATH" or "postgres://…"')
    .default('file:./waypost.db'),
  /** @default 8787 */
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Base URL used in generated links and snippets. @default `http://localhost:${port}` */
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .default('http://localhost:8787'),
  /** Account (reporting) currency. @default 'USD' */
  currency: CurrencySchema.default('USD'),
  /** Account timezone for days in reports, caps and thresholds. @default 'UTC' */
  timezone: TimezoneSchema.default('UTC'),
  /**
   * Trusted request header that carries the visitor's ISO country (set by a CDN); when present it wins over the
   * GeoIP lookup. `off` trusts no header. @default 'cf-ipcountry'
   */
  countryHeader: z.string().trim().toLowerCase().min(1).default('cf-ipcountry'),
  /**
   * The visitor's country from their IP address: unset, the built-in CC0 database; a path, the operator's own MMDB
   * file (GeoLite2/GeoIP2 Country or City, DB-IP), re-read when it changes; `off`, no lookup. @default built-in
   */
  geoipDb: z.string().trim().min(1).optional(),
  /** Express `trust proxy` setting: off, `true`, a hop count, or a list of addresses. @default false */
  trustProxy: z
    .string()
    .optional()
    .transform((value, ctx): boolean | number | string => {
      if (value === undefined || value === '' || value === 'false' || value === '0' || value === 'off') return false;
      if (value === 'true' || value === 'on') return true;
      if (/^\d+$/.test(value)) return Number(value);
      // Express compiles a list the same way, but only once the app is built, with a TypeError and no variable name.
      try {
        proxyaddr.compile(value.split(',').map((entry) => entry.trim()));
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `must be "true", a hop count, or addresses, subnets and loopback, linklocal, uniquelocal, comma-separated (${(error as Error).message})`,
        });
        return z.NEVER;
      }
      return value;
    }),
  /**
   * One line per request on standard output, in the combined log format that web servers write and log tools read;
   * `token` parameters are redacted and visitors' addresses cut as in clicks. @default false
   */
  accessLog: z.stringbool().default(false),
  /** SMTP server for conversion e-mails (`smtp://user:pass@host:587`, `smtps://…`); e-mails wait without it. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\/.+/, 'must be "smtp://…" or "smtps://…"')
    .optional(),
  /** Sender of conversion e-mails. @default `Waypost <waypost@HOST>`, HOST that of the public URL */
  smtpFrom: z.string().trim().min(3).max(254).optional(),
  /** Tries of one outbound postback or e-mail, the first included, before it is marked failed. @default 12 */
  deliveryAttempts: z.coerce.number().int().min(1).max(100).default(12),
  /** Wait after the first failed try; it doubles with each further failure. @default 30000 (30 s) */
  deliveryBackoffMs: z.coerce.number().int().min(1).default(30_000),
  /** Longest wait between two tries. @default 21600000 (6 h) */
  deliveryBackoffMaxMs: z.coerce.number().int().min(1).default(21_600_000),
  /** Time limit of one try (connect, send, answer). @default 10000 (10 s) */
  deliveryTimeoutMs: z.coerce.number().int().min(100).max(300_000).default(10_000),
  /** How often the outbox is polled for due deliveries; new ones are sent at once anyway. @default 5000 (5 s) */
  deliveryPollMs: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  /**
   * Let outbound requests (publisher postbacks, feeds) reach loopback, private, link-local, CGNAT and metadata
   * addresses (README, Security): for a tracker on the operator's own network, and for tests. @default false
   */
  allowPrivateDestinations: z.stringbool().default(false),
  /**
   * A daily rates feed in the European Central Bank's XML format (`eurofxref-daily.xml`), fetched at start and every
   * 6 hours through the outbound-request policy; its rates are stored as `PUT /v1/fx-rates` stores them. @default none
   */
  fxUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Days the postback log and finished deliveries are kept; older ones are pruned in the background (README, Security),
   * so that what strangers can write does not grow without end. @default 90
   */
  logRetentionDays: z.coerce.number().int().min(1).max(36_500).default(90),
  /**
   * Turns on `GET /metrics` (Prometheus text), which then needs `Authorization: Bearer TOKEN`. A scraper holds it
   * like a password, so a short one is refused. @default none: `/metrics` is off
   */
  metricsToken: z.string().regex(/^\S{16,200}$/, 'must be 16 to 200 characters without spaces').optional(),
  /** A sign-in session ends after this many minutes without a request (README, Team accounts). @default 720 (12 h) */
  sessionIdleMinutes: z.coerce.number().int().min(5).max(525_600).default(720),
  /** A sign-in session ends this many hours after the sign-in, however much it is used. @default 168 (7 days) */
  sessionMaxHours: z.coerce.number().int().min(1).max(8_760).default(168),
});
export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** The environment variable behind each configuration field (README, Configuration). */
export const CONFIG_ENV: Record<keyof Config, string> = {
  databaseUrl: 'WAYPOST_DATABASE_URL',
  port: 'WAYPOST_PORT',
  publicUrl: 'WAYPOST_PUBLIC_URL',
  currency: 'WAYPOST_CURRENCY',
  timezone: 'WAYPOST_TIMEZONE',
  countryHeader: 'WAYPOST_COUNTRY_HEADER',
  geoipDb: 'WAYPOST_GEOIP_DB',
  trustProxy: 'WAYPOST_TRUST_PROXY',
  accessLog: 'WAYPOST_ACCESS_LOG',
  smtpUrl: 'WAYPOST_SMTP_URL',
  smtpFrom: 'WAYPOST_SMTP_FROM',
  deliveryAttempts: 'WAYPOST_DELIVERY_ATTEMPTS',
  deliveryBackoffMs: 'WAYPOST_DELIVERY_BACKOFF_MS',
  deliveryBackoffMaxMs: 'WAYPOST_DELIVERY_BACKOFF_MAX_MS',
  deliveryTimeoutMs: 'WAYPOST_DELIVERY_TIMEOUT_MS',
  deliveryPollMs: 'WAYPOST_DELIVERY_POLL_MS',
  allowPrivateDestinations: 'WAYPOST_ALLOW_PRIVATE_DESTINATIONS',
  fxUrl: 'WAYPOST_FX_URL',
  logRetentionDays: 'WAYPOST_LOG_RETENTION_DAYS',
  metricsToken: 'WAYPOST_METRICS_TOKEN',
  sessionIdleMinutes: 'WAYPOST_SESSION_IDLE_MINUTES',
  sessionMaxHours: 'WAYPOST_SESSION_MAX_HOURS',
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the configuration from `env`, then applies `overrides` (CLI flags). Throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof Config, string>> = {}): Config {
  const raw: Record<string, string | undefined> = {};
  for (const [key, name] of Object.entries(CONFIG_ENV)) {
    const value = overrides[key as keyof Config] ?? env[name];
    raw[key] = value === '' ? undefined : value;
  }
  // Links point at the port the server listens on unless a public URL is set; port 0 is filled in once listening.
  if (raw.publicUrl === undefined && raw.port !== undefined && /^\d+$/.test(raw.port)) {
    raw.publicUrl = `http://localhost:${Number(raw.port)}`;
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const issues = toErrorIssues(result.error).map((issue) => ({
      ...issue,
      path: CONFIG_ENV[issue.path.split('.')[0] as keyof Config] ?? issue.path,
    }));
    throw new ConfigError(`invalid configuration: ${describeIssues(issues)}`);
  }
  return result.data;
}
