#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ApiKeyRoleSchema, EmailSchema, UserRoleSchema } from '@waypost/schema';
import { generatePassword, passwordProblem } from './accounts/passwords.js';
import { createUser, setPassword } from './accounts/users.js';
import { VERSION } from './app.js';
import { systemClock } from './clock.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { formatDemo, seedDemo } from './demo.js';
import { createApiKey } from './keys.js';
import { SHUTDOWN_GRACE_MS, startServer } from './server.js';
import { databaseStartError, StartupError } from './startup.js';
import { openStore, type Store } from './storage/index.js';

const COMMANDS = `Usage:
  waypost serve                    run the server
  waypost start                    seed the demo on an empty database, then serve (what \`npm start\` runs)
  waypost migrate                  apply pending database migrations
  waypost demo                     seed a demo offer, publisher and keys on an empty database; print their links
  waypost keys create --role admin|publisher [--publisher ID] [--name NAME]
  waypost users create --email E --role owner|admin|member|analyst|publisher [--publisher ID] [--workspace ID]… [--name NAME] [--password-stdin]
  waypost users reset-password --email E [--password-stdin]
  waypost COMMAND --help           the options of one command
  waypost --version                the version
`;

const SERVER_OPTIONS = `Options (each overrides its environment variable):
  --database-url URL   WAYPOST_DATABASE_URL   file:PATH or postgres://…   (default file:./waypost.db)
  --port N             WAYPOST_PORT                                       (default 8787)
  --public-url URL     WAYPOST_PUBLIC_URL                                 (default http://localhost:8787)
  --currency CODE      WAYPOST_CURRENCY                                   (default USD)
  --timezone TZ        WAYPOST_TIMEZONE                                   (default UTC)
  --country-header H   WAYPOST_COUNTRY_HEADER                             (default cf-ipcountry; off for none)
  --geoip-db PATH      WAYPOST_GEOIP_DB       MMDB country file, or off   (default built-in)
  --trust-proxy V      WAYPOST_TRUST_PROXY                                (default off)
  --access-log         WAYPOST_ACCESS_LOG=true    a combined-format line per request on standard output (default off)
  --smtp-url URL       WAYPOST_SMTP_URL                                   (default none: e-mails wait)
  --smtp-from ADDRESS  WAYPOST_SMTP_FROM                                  (default Waypost <waypost@HOST>)
  --delivery-attempts N          WAYPOST_DELIVERY_ATTEMPTS        tries per postback or e-mail (default 12)
  --delivery-backoff-ms MS       WAYPOST_DELIVERY_BACKOFF_MS      first retry wait, doubling (default 30000)
  --delivery-backoff-max-ms MS   WAYPOST_DELIVERY_BACKOFF_MAX_MS  longest retry wait (default 21600000)
  --delivery-timeout-ms MS       WAYPOST_DELIVERY_TIMEOUT_MS      time limit of one try (default 10000)
  --delivery-poll-ms MS          WAYPOST_DELIVERY_POLL_MS         outbox poll interval (default 5000)
  --allow-private-destinations B WAYPOST_ALLOW_PRIVATE_DESTINATIONS  true lets postbacks reach loopback and private addresses (default false)
  --fx-url URL                   WAYPOST_FX_URL                   FX rates feed in the ECB's XML format, read at start and every 6 h (default none)
  --log-retention-days N         WAYPOST_LOG_RETENTION_DAYS       days the postback and delivery logs are kept (default 90)
  --metrics-token T              WAYPOST_METRICS_TOKEN            turns on GET /metrics behind this bearer token (default off)
  --session-idle-minutes N       WAYPOST_SESSION_IDLE_MINUTES     a sign-in session ends after N idle minutes (default 720)
  --session-max-hours N          WAYPOST_SESSION_MAX_HOURS        a sign-in session ends N hours after the sign-in (default 168)
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
  'fx-url': 'fxUrl',
  'log-retention-days': 'logRetentionDays',
  'metrics-token': 'metricsToken',
  'session-idle-minutes': 'sessionIdleMinutes',
  'session-max-hours': 'sessionMaxHours',
} as const satisfies Record<string, keyof Config>;

/** A command line the CLI cannot run; said in one line, with where to look. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

const DATABASE_OPTION = `Options:
  --database-url URL   WAYPOST_DATABASE_URL   file:PATH or postgres://…   (default file:./waypost.db)
`;

/** What `waypost COMMAND --help` prints, and the options each command takes besides the configuration flags. */
const COMMAND_HELP: Record<string, { usage: string; about: string; options: string; only?: readonly string[] }> = {
  serve: {
    usage: 'waypost serve [options]',
    about:
      `Runs the server. SIGTERM or Ctrl-C stops it gracefully: it stops accepting connections, answers the requests it\n` +
      `has accepted, lets the outbox's current batch finish, closes the database and exits 0, cutting what is still\n` +
      `open after ${SHUTDOWN_GRACE_MS / 1000} s; a second signal, a second or more later, exits at once. An SQLite database\n` +
      `serves one server process at a time.`,
    options: SERVER_OPTIONS,
    only: ['access-log'],
  },
  start: {
    usage: 'waypost start [options]',
    about: 'Seeds the demo on an empty database and prints its links, then runs the server as `waypost serve` does.',
    options: SERVER_OPTIONS,
    only: ['access-log'],
  },
  migrate: {
    usage: 'waypost migrate [--database-url URL]',
    about: 'Applies pending database migrations; safe to run again, and while a server runs.',
    options: DATABASE_OPTION,
  },
  demo: {
    usage: 'waypost demo [--database-url URL] [--public-url URL]',
    about: 'Seeds a demo offer, publisher and keys on an empty database and prints their links.',
    options: SERVER_OPTIONS,
  },
  'keys create': {
    usage: 'waypost keys create --role admin|publisher [--publisher ID] [--name NAME] [--database-url URL]',
    about: 'Creates an API key and prints it; it is shown only this once. A publisher key needs --publisher.',
    options: `${DATABASE_OPTION}  --role ROLE          admin or publisher
  --publisher ID       the publisher whose key it is (publisher keys only)
  --name NAME          a label for the key
`,
    only: ['role', 'publisher', 'name'],
  },
  'users create': {
    usage:
      'waypost users create --email E --role owner|admin|member|analyst|publisher [--publisher ID] [--workspace ID]… [--name NAME] [--password-stdin] [--database-url URL]',
    about:
      'Creates a team user who can sign in at once. Its password is generated and printed, unless --password-stdin\n' +
      'reads it from the first line of standard input. A publisher user needs --publisher.',
    options: `${DATABASE_OPTION}  --email E            the user's e-mail, which it signs in with
  --role ROLE          owner, admin, member, analyst or publisher
  --publisher ID       the publisher whose portal it signs in to (publisher users only)
  --name NAME          the user's name
  --workspace ID       a workspace a member or analyst belongs to; repeat it for several
  --password-stdin     read the password from standard input (one line) instead of generating one
`,
    only: ['email', 'role', 'publisher', 'workspace', 'name', 'password-stdin'],
  },
  'users reset-password': {
    usage: 'waypost users reset-password --email E [--password-stdin] [--database-url URL]',
    about:
      "Sets a new password for a user and ends all its sessions. The password is generated and printed, unless\n" +
      '--password-stdin reads it from the first line of standard input. Works without an SMTP server.',
    options: `${DATABASE_OPTION}  --email E            the user's e-mail
  --password-stdin     read the password from standard input (one line) instead of generating one
`,
    only: ['email', 'password-stdin'],
  },
};

/** Options only some commands take; the configuration flags are read by every command. */
const COMMAND_OPTIONS = {
  'access-log': { type: 'boolean' },
  role: { type: 'string' },
  publisher: { type: 'string' },
  name: { type: 'string' },
  email: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  workspace: { type: 'string', multiple: true },
} as const;

/** Opens and migrates the store, runs `fn`, closes. `fn` gets the versions the migration applied. */
async function withStore<T>(config: Config, fn: (store: Store, applied: number[]) => Promise<T>): Promise<T> {
  let store: Store;
  let applied: number[];
  try {
    store = openStore(config.databaseUrl);
    applied = await store.migrate();
  } catch (error) {
    throw databaseStartError(error, config.databaseUrl);
  }
  try {
    return await fn(store, applied);
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
  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // A Ctrl-C under `npm run` arrives twice at once (from the terminal and from npm): only a later one is a second.
      if (performance.now() - stoppingSince < 1000) return;
      console.error(`Waypost: ${signal} again, exiting now without waiting for the requests in flight`);
      process.exit(1);
    }
    stoppingSince = performance.now();
    console.log(`Waypost stopping (${signal}): no new connections; answering the requests in flight (at most ${SHUTDOWN_GRACE_MS / 1000} s)`);
    // The last resort should closing the database itself hang: service managers send SIGKILL after 10 s anyway.
    setTimeout(() => {
      console.error('Waypost did not stop within 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    running.close().then(
      ({ forced }) => {
        console.log(forced ? `Waypost stopped; what was still open after ${SHUTDOWN_GRACE_MS / 1000} s was cut` : 'Waypost stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Waypost: stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Parses the command line; an unknown or misplaced option is a UsageError that names it. */
function parseCommandLine(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(Object.keys(CONFIG_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
        ...COMMAND_OPTIONS,
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(describeParseError(error, argv));
  }
  const { values, positionals } = parsed;
  const command = positionals[0] === 'keys' || positionals[0] === 'users' ? positionals.slice(0, 2).join(' ') : positionals[0];
  return { values, positionals, command };
}

function describeParseError(error: unknown, argv: string[]): string {
  const code = (error as { code?: string }).code;
  const command = commandOf(argv);
  const help = `waypost ${command ? `${command} ` : ''}--help lists the options`;
  // Node names the option as '--prot', or as '-h, --help' when it has a short form.
  const option = /'(?:-\w, )?(--?[^' ]+)/.exec((error as Error).message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const near = closest(option.replace(/^-+/, '').split('=')[0]!, [...Object.keys(CONFIG_FLAGS), ...Object.keys(COMMAND_OPTIONS), 'help', 'version']);
    return `unknown option ${option}${near ? `; did you mean --${near}?` : ''} (${help})`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /does not take an argument/.test((error as Error).message) ? `${option} takes no value (${help})` : `${option} needs a value (${help})`;
  }
  return `${(error as Error).message.split('\n')[0]} (${help})`;
}

/** The command named in a command line that did not parse: the words that are not options or their values. */
function commandOf(argv: string[]): string | undefined {
  const takesValue = new Set([...Object.keys(CONFIG_FLAGS), 'role', 'publisher', 'name', 'email', 'workspace']);
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && takesValue.has(arg.replace(/^-+/, ''))) i++;
    } else words.push(arg);
  }
  const [first, second] = words;
  if (!first || !(first in COMMAND_HELP || first === 'keys' || first === 'users')) return undefined;
  if (first === 'keys' || first === 'users') return `${first} ${second}` in COMMAND_HELP ? `${first} ${second}` : undefined;
  return first;
}

/** The known name within two edits of a mistyped one (`prot` → `port`), if any. */
function closest(name: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals, command } = parseCommandLine(argv);
  if (values.version) {
    console.log(`waypost ${VERSION}`);
    return 0;
  }
  const help = command ? COMMAND_HELP[command] : undefined;
  if (!command || command === 'help' || (values.help && !help)) {
    console.log(`waypost ${VERSION} — the Waypost reference server\n\n${COMMANDS}\n${SERVER_OPTIONS}`);
    return command || values.help ? 0 : 1;
  }
  if (!help || positionals.length > command.split(' ').length) {
    throw new UsageError(`unknown command "${positionals.join(' ')}" (waypost --help lists the commands)`);
  }
  if (values.help) {
    console.log(`${help.usage}\n\n${help.about}\n\n${help.options}`);
    return 0;
  }
  for (const option of Object.keys(COMMAND_OPTIONS)) {
    if (values[option as keyof typeof values] !== undefined && !help.only?.includes(option)) {
      throw new UsageError(`--${option} is not an option of "waypost ${command}" (waypost ${command} --help lists its options)`);
    }
  }
  // Arguments are checked before the configuration is read or the database touched: a mistake costs nothing.
  let role: 'admin' | 'publisher' | undefined;
  const user = command.startsWith('users ') ? userArguments(command, values) : undefined;
  if (command === 'keys create') {
    const parsed = ApiKeyRoleSchema.safeParse(values.role);
    if (!parsed.success) throw new UsageError('--role must be "admin" or "publisher"');
    role = parsed.data;
    if (role === 'publisher' && !values.publisher) throw new UsageError('--publisher ID is required for a publisher key');
    if (role === 'admin' && values.publisher) throw new UsageError('--publisher is only allowed with --role publisher');
  }
  const overrides: Partial<Record<keyof Config, string>> = {};
  for (const [flag, key] of Object.entries(CONFIG_FLAGS)) {
    const value = values[flag as keyof typeof values];
    if (typeof value === 'string') overrides[key] = value;
  }
  if (values['access-log']) overrides.accessLog = 'true';
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
    case 'users create':
    case 'users reset-password': {
      const password = values['password-stdin'] ? await readPasswordLine() : generatePassword();
      const problem = passwordProblem(password, user!.email);
      if (problem) throw new UsageError(`the password ${problem}`);
      return withStore(config, async (store) => {
        const context = { store, clock: systemClock, config };
        if (command === 'users reset-password') {
          const found = await store.users.findByEmail(user!.email);
          if (!found) {
            console.error(`no user with the e-mail "${user!.email}"`);
            return 1;
          }
          await setPassword(context, found.id, password);
          if (!values['password-stdin']) console.log(password);
          return 0;
        }
        if (values.publisher && !(await store.publishers.get(values.publisher))) {
          console.error(`no publisher "${values.publisher}"`);
          return 1;
        }
        for (const workspaceId of values.workspace ?? []) {
          if (!(await store.workspaces.get(workspaceId))) {
            console.error(`no workspace "${workspaceId}"`);
            return 1;
          }
        }
        if (await store.users.findByEmail(user!.email)) {
          console.error(`a user with the e-mail "${user!.email}" exists; reset its password with: waypost users reset-password --email ${user!.email}`);
          return 1;
        }
        await createUser(context, {
          email: user!.email,
          role: user!.role!,
          ...(values.publisher ? { publisherId: values.publisher } : {}),
          ...(values.name ? { name: values.name } : {}),
          workspaceIds: values.workspace ?? [],
          password,
        });
        if (!values['password-stdin']) console.log(password);
        return 0;
      });
    }
    default:
      return withStore(config, async (store) => {
        if (values.publisher && !(await store.publishers.get(values.publisher))) {
          console.error(`no publisher "${values.publisher}"`);
          return 1;
        }
        const key = await createApiKey(
          { store, clock: systemClock },
          { role: role!, ...(values.publisher ? { publisherId: values.publisher } : {}), ...(values.name ? { name: values.name } : {}) },
        );
        console.log(key.key);
        return 0;
      });
  }
}

/** The arguments of `users create` and `users reset-password`, checked before anything is read or touched. */
function userArguments(command: string, values: { email?: string | undefined; role?: string | undefined; publisher?: string | undefined }) {
  const email = EmailSchema.safeParse(values.email?.trim());
  if (!email.success) throw new UsageError('--email needs an e-mail address');
  if (command === 'users reset-password') return { email: email.data, role: undefined };
  const role = UserRoleSchema.safeParse(values.role);
  if (!role.success) throw new UsageError('--role must be owner, admin, member, analyst or publisher');
  if (role.data === 'publisher' && !values.publisher) throw new UsageError('--publisher ID is required for a publisher user');
  if (role.data !== 'publisher' && values.publisher) throw new UsageError('--publisher is only allowed with --role publisher');
  return { email: email.data, role: role.data };
}

/** The first line of standard input without its line break (`printf 'pw\n' | waypost … --password-stdin`). */
async function readPasswordLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (!line) throw new UsageError('--password-stdin read no password: send it as the first line of standard input');
  return line;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const explained = error instanceof ConfigError || error instanceof StartupError || error instanceof UsageError;
    // Anything else is a bug: its stack is what a report needs.
    console.error(explained ? `waypost: ${error.message}` : error);
    // At once: a start that failed half-way may hold a handle (a pool, a worker, a timer) that would keep it alive.
    process.exit(1);
  },
);
