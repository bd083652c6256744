/**
 * Settings: the environment turned into one typed, validated, frozen object.
 * Variable names follow Healthchecks' (SITE_ROOT, DB_*, EMAIL_*, PING_*), plus PORT/HOST and DATABASE_URL.
 * Nothing outside config/ reads process.env. Booleans accept True/False like Healthchecks
 * (and true/false/1/0/yes/no, since operators type those too).
 */
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { type IntegrationsConfig, integrationsConfig } from './integrations-config.js'
import { type SmtpdConfig, smtpdConfig } from './smtpd-config.js'

/** Bounds on waiting for the database, so a hung server cannot hold requests (absent: see database.ts). */
export interface DbTimeouts {
  /** DB_CONNECT_TIMEOUT: establishing a PostgreSQL connection, ms (default 5 s). */
  connectTimeoutMs?: number
  /**
   * DB_STATEMENT_TIMEOUT: one statement, ms (default 5 s; 0 = no limit). PostgreSQL: the server's
   * statement_timeout, a client-side read timeout 1 s later, and idle_in_transaction_session_timeout
   * at twice it. SQLite: the busy timeout (how long a statement waits for the write lock; 0 = 5 s).
   */
  statementTimeoutMs?: number
  /**
   * PostgreSQL: how much later than statementTimeoutMs the client-side read timeout fires, ms
   * (default 1 s). No setting reads it: tests of a silent server shorten it.
   */
  readTimeoutMarginMs?: number
}

export type DbConfig =
  | ({ kind: 'sqlite'; file: string } & DbTimeouts)
  | ({
      kind: 'postgres'
      host: string
      port: number
      database: string
      user: string
      password: string
      /** Schema to use (tests isolate themselves with it); default `public`. */
      schema?: string
    } & DbTimeouts)

export interface SmtpConfig {
  host: string
  port: number
  user: string
  password: string
  useTls: boolean
  useSsl: boolean
}

/** Object storage for ping bodies, Healthchecks' S3_* settings (objects/). */
export interface S3Config {
  /** S3_ENDPOINT as a URL: a bare host[:port] gets https:// (http:// with S3_SECURE=False). */
  endpoint: string
  region: string
  bucket: string
  accessKey: string
  secretKey: string
  /** S3_TIMEOUT: one object-store operation, ms (default 60 s, as Healthchecks). */
  timeoutMs: number
}

export interface Config {
  siteRoot: string
  siteName: string
  secretKey: string
  /** True while SECRET_KEY is unset or Healthchecks' placeholder `---`. */
  secretKeyIsDefault: boolean
  port: number
  host: string
  db: DbConfig
  defaultFromEmail: string
  /**
   * EMAIL_MAIL_FROM_TMPL: the SMTP envelope sender (MAIL FROM) with `%s` standing for the mail's
   * signed bounce id (`bounces` for mail without one), e.g. `%s@bounces.example.org`; '' = the
   * envelope sender is the From address. The From header is never changed.
   */
  emailMailFromTmpl: string
  /** Operators' addresses (ADMINS, comma-separated, as Healthchecks): Signal CAPTCHA challenges. */
  admins: string[]
  /** null when EMAIL_HOST is empty: mail cannot be sent. */
  smtp: SmtpConfig | null
  /** EMAIL_TLS_CA_FILE: extra CA certificate(s) (PEM) trusted for SMTP TLS (MAIL-007), or null. */
  emailTlsCa: { file: string; pem: string } | null
  pingEndpoint: string
  /** Bytes of a ping body kept; null = no limit. */
  pingBodyLimit: number | null
  /** S3-compatible object storage for ping bodies (S3_*); null when S3_BUCKET is empty. */
  s3: S3Config | null
  registrationOpen: boolean
  integrationsAllowPrivateIps: boolean
  webhooksEnabled: boolean
  /** Worker polling interval, ms. */
  workerPollMs: number
  /** DELIVERY_CONCURRENCY: notifications in flight per worker process. */
  deliveryConcurrency: number
  /** DELIVERY_CHANNEL_CONCURRENCY: of those, at most this many for one channel (fairness). */
  deliveryChannelConcurrency: number
  /**
   * ALERT_GROUP_MIN: a channel's alerts beyond this many within ALERT_GROUP_WINDOW are sent as one
   * grouped message (alerts/alert-groups.ts). 0 = off (every alert on its own, as Healthchecks).
   */
  alertGroupMin: number
  /** ALERT_GROUP_WINDOW (seconds, here ms): the window the grouping threshold counts in. */
  alertGroupWindowMs: number
  /**
   * WORKER_OUTAGE_THRESHOLD (seconds, here ms): a gap this long in every worker's heartbeat is an
   * outage; deadlines that passed in it are re-armed from the recovery time. 0 = off.
   */
  workerOutageThresholdMs: number
  /** EMAIL_MAX_CONNECTIONS: pooled SMTP connections the outbox sends over at once. */
  emailMaxConnections: number
  /** Timeout of one outbound HTTP delivery, ms. */
  webhookTimeoutMs: number
  /** SMTP connection/greeting/socket timeout, ms. */
  smtpTimeoutMs: number
  logLevel: string
  /**
   * LOG_FORMAT: `json` (pino JSON lines), `pretty` (readable lines) or `auto` (the default:
   * readable on a terminal, JSON otherwise, e.g. under a supervisor or in a container).
   */
  logFormat: 'auto' | 'json' | 'pretty'
  /**
   * Reverse proxies whose X-Forwarded-For is believed for the client address of web and API
   * requests (rate limits, audit). Empty: the socket address counts.
   */
  trustedProxyCidrs: string[]
  /** Channel kinds: on/off switches, credentials, vendor API base URLs (integrations-config.ts). */
  integrations: IntegrationsConfig
  // ---- Account security (accounts/, spec accounts.md §5); parsed by accountsConfig below. ----
  accounts: AccountsConfig
  // ---- Management API, badges and metrics endpoints (api/, badges/); apiConfig below. ----
  api: ApiConfig
  // ---- Deployment facts the doctor judges (doctor/, spec accounts.md 5.17); deploymentConfig below. ----
  deployment: DeploymentConfig
  // ---- The HTTP server's limits and HSTS (app.ts, issue 11 F3/F9); httpServerConfig below. ----
  http: HttpServerConfig
  // ---- Inbound ping-by-email server (pings/smtpd.ts, issue 13 §2); smtpd-config.ts. ----
  smtpd: SmtpdConfig
}

/** Exit code for a configuration that cannot be used, at start or in a command (sysexits.h EX_CONFIG). */
export const EXIT_CONFIG = 78

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`)
    this.name = 'ConfigError'
  }
}

export type Env = Record<string, string | undefined>

/** Reads `NAME_FILE` (wins) or `NAME`, as Healthchecks does for secrets. */
function secret(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`]
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim()
    } catch (e) {
      throw new ConfigError(`${name}_FILE`, `cannot read ${file} (${(e as Error).message})`)
    }
  }
  return env[name]
}

function bool(env: Env, name: string, dflt: boolean): boolean {
  const raw = env[name]
  if (raw === undefined) return dflt
  const v = raw.trim().toLowerCase()
  if (v === '' || v === 'false' || v === '0' || v === 'no' || v === 'off') return false
  if (v === 'true' || v === '1' || v === 'yes' || v === 'on') return true
  throw new ConfigError(name, `expected True or False, got "${raw}"`)
}

function int(env: Env, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return dflt
  if (!/^\d+$/.test(raw.trim()))
    throw new ConfigError(name, `expected a whole number, got "${raw}"`)
  const n = Number(raw.trim())
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`)
  return n
}

/**
 * A duration in seconds, fractions allowed (`0.25`), or milliseconds with an `ms` suffix
 * (`250ms`); returned in ms. Whole seconds in production; short values keep tests fast.
 */
function seconds(env: Env, name: string, dflt: number, min: number, max: number): number {
  const raw = (env[name] ?? '').trim()
  if (raw === '') return dflt * 1000
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s)?$/i.exec(raw)
  if (!m)
    throw new ConfigError(
      name,
      `expected a number of seconds (e.g. 5 or 0.5) or milliseconds (e.g. 500ms), got "${raw}"`,
    )
  const ms = Math.round(m[2]?.toLowerCase() === 'ms' ? Number(m[1]) : Number(m[1]) * 1000)
  if (ms < min * 1000 || ms > max * 1000)
    throw new ConfigError(name, `must be between ${min} and ${max} seconds, got "${raw}"`)
  return ms
}

function dbTimeouts(env: Env): Required<Omit<DbTimeouts, 'readTimeoutMarginMs'>> {
  const connectTimeoutMs = seconds(env, 'DB_CONNECT_TIMEOUT', 5, 0, 300)
  if (connectTimeoutMs === 0)
    throw new ConfigError(
      'DB_CONNECT_TIMEOUT',
      'must be more than 0 (a hung server would hold requests forever)',
    )
  return {
    connectTimeoutMs,
    statementTimeoutMs: seconds(env, 'DB_STATEMENT_TIMEOUT', 5, 0, 3600),
  }
}

function url(name: string, raw: string): URL {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new ConfigError(
      name,
      `not a valid URL: "${raw}" (expected e.g. https://vigil.example.com)`,
    )
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(name, `must start with http:// or https://, got "${raw}"`)
  }
  return u
}

function dbConfig(env: Env): DbConfig {
  const databaseUrl = secret(env, 'DATABASE_URL')
  if (databaseUrl) {
    if (databaseUrl.startsWith('sqlite:')) {
      const file = databaseUrl.replace(/^sqlite:(\/\/)?/, '')
      if (!file)
        throw new ConfigError(
          'DATABASE_URL',
          'sqlite: URL needs a file path, e.g. sqlite:./data/vigil.sqlite',
        )
      return { kind: 'sqlite', file }
    }
    let u: URL
    try {
      u = new URL(databaseUrl)
    } catch {
      throw new ConfigError(
        'DATABASE_URL',
        'not a valid URL (expected postgres://user:password@host:5432/name)',
      )
    }
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
      throw new ConfigError(
        'DATABASE_URL',
        `unsupported scheme "${u.protocol}" (use postgres:// or sqlite:)`,
      )
    }
    return {
      kind: 'postgres',
      host: decodeURIComponent(u.hostname) || '127.0.0.1',
      port: u.port ? Number(u.port) : 5432,
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'vigil',
      user: decodeURIComponent(u.username) || 'postgres',
      password: decodeURIComponent(u.password),
      schema: u.searchParams.get('schema') ?? undefined,
    }
  }
  const kind = (env.DB ?? 'sqlite').trim().toLowerCase()
  if (kind === 'postgres' || kind === 'postgresql') {
    return {
      kind: 'postgres',
      host: env.DB_HOST || '127.0.0.1',
      port: int(env, 'DB_PORT', 5432, 1, 65535),
      database: env.DB_NAME || 'vigil',
      user: env.DB_USER || 'postgres',
      password: secret(env, 'DB_PASSWORD') ?? '',
      schema: env.DB_SCHEMA || undefined,
    }
  }
  if (kind === 'sqlite' || kind === '')
    return { kind: 'sqlite', file: env.DB_NAME || './data/vigil.sqlite' }
  throw new ConfigError('DB', `unsupported database "${env.DB}" (use sqlite or postgres)`)
}

function smtpConfig(env: Env): SmtpConfig | null {
  const host = (env.EMAIL_HOST ?? '').trim()
  const useSsl = bool(env, 'EMAIL_USE_SSL', false)
  const useTls = bool(env, 'EMAIL_USE_TLS', true)
  const port = int(env, 'EMAIL_PORT', useSsl ? 465 : 587, 1, 65535)
  if (!host) return null
  if (useSsl && useTls && env.EMAIL_USE_TLS !== undefined) {
    throw new ConfigError(
      'EMAIL_USE_SSL',
      'EMAIL_USE_TLS and EMAIL_USE_SSL are both True; set only one',
    )
  }
  return {
    host,
    port,
    user: env.EMAIL_HOST_USER ?? '',
    password: secret(env, 'EMAIL_HOST_PASSWORD') ?? '',
    useTls: useSsl ? false : useTls,
    useSsl,
  }
}

/**
 * S3_*: enabled when S3_BUCKET is set (as Healthchecks). S3_ENDPOINT is a host as Healthchecks
 * takes it (`s3.eu-central-1.amazonaws.com`, `minio:9000`, with S3_SECURE choosing https) or a
 * full http(s) URL; credentials may come from S3_ACCESS_KEY_FILE/S3_SECRET_KEY_FILE.
 */
function s3Config(env: Env): S3Config | null {
  const bucket = (env.S3_BUCKET ?? '').trim()
  if (bucket === '') return null
  const secure = bool(env, 'S3_SECURE', true)
  const raw = (env.S3_ENDPOINT ?? '').trim()
  if (raw === '')
    throw new ConfigError(
      'S3_ENDPOINT',
      'must be set with S3_BUCKET (e.g. s3.eu-central-1.amazonaws.com)',
    )
  const endpoint = url(
    'S3_ENDPOINT',
    /^https?:\/\//i.test(raw) ? raw : `${secure ? 'https' : 'http'}://${raw}`,
  )
  return {
    endpoint: endpoint.href.replace(/\/+$/, ''),
    region: (env.S3_REGION ?? '').trim() || 'us-east-1',
    bucket,
    accessKey: secret(env, 'S3_ACCESS_KEY') ?? '',
    secretKey: secret(env, 'S3_SECRET_KEY') ?? '',
    timeoutMs: seconds(env, 'S3_TIMEOUT', 60, 0.01, 600),
  }
}

/** EMAIL_TLS_CA_FILE: read once at start so a typo stops the process with the variable named. */
function tlsCa(env: Env): { file: string; pem: string } | null {
  const caFile = (env.EMAIL_TLS_CA_FILE ?? '').trim()
  if (caFile === '') return null
  try {
    return { file: caFile, pem: readFileSync(caFile, 'utf8') }
  } catch (e) {
    throw new ConfigError('EMAIL_TLS_CA_FILE', `cannot read ${caFile} (${(e as Error).message})`)
  }
}

/**
 * EMAIL_MAIL_FROM_TMPL: exactly one `%s`, in the local part (bounces come back to the address and
 * the bounce endpoint reads the id from there), and an address once filled in.
 */
function mailFromTemplate(env: Env): string {
  const tmpl = (env.EMAIL_MAIL_FROM_TMPL ?? '').trim()
  if (tmpl === '') return ''
  const name = 'EMAIL_MAIL_FROM_TMPL'
  if (tmpl.split('%s').length !== 2)
    throw new ConfigError(name, `must contain %s exactly once, got "${tmpl}"`)
  if (tmpl.replace('%s', '').includes('%'))
    throw new ConfigError(name, `may contain no % other than the one %s, got "${tmpl}"`)
  const at = tmpl.lastIndexOf('@')
  if (!/^[^@\s<>,;"]+@[^@\s<>,;"%]+$/.test(tmpl.replace('%s', 'x')) || tmpl.indexOf('%s') > at)
    throw new ConfigError(
      name,
      `must be an email address with %s in the part before @ (e.g. %s@bounces.example.org), got "${tmpl}"`,
    )
  return tmpl
}

/** ADMINS: comma-separated email addresses; blanks are skipped. */
function adminsOf(env: Env): string[] {
  const admins = (env.ADMINS ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
  for (const a of admins) {
    if (!/^[^@\s<>,]+@[^@\s<>,]+$/.test(a))
      throw new ConfigError('ADMINS', `not an email address: "${a}"`)
  }
  return admins
}

/**
 * The one rule for the address in links and ping URLs, for the server and every command:
 * SITE_ROOT, else `http://localhost:PORT` (PORT default 8000); no trailing slash.
 */
export function siteRootOf(env: Env): string {
  const port = int(env, 'PORT', 8000, 0, 65535)
  const raw = (env.SITE_ROOT ?? '').trim() || `http://localhost:${port}`
  return url('SITE_ROOT', raw).href.replace(/\/+$/, '')
}

/**
 * A command run from another shell than the server's (`PORT=18000 npm start`, then `npx vigil
 * check create`) knows neither of the server's variables: with no SITE_ROOT and no PORT of its
 * own it takes the site root the running server recorded (`recorded`), so its URLs are the
 * server's. Its own SITE_ROOT or PORT wins.
 */
export function envWithRecordedSiteRoot(env: Env, recorded: string | null): Env {
  const given = (name: string) => (env[name] ?? '').trim() !== ''
  if (recorded === null || given('SITE_ROOT') || given('PORT')) return env
  return { ...env, SITE_ROOT: recorded }
}

/** Builds the configuration, throwing ConfigError (naming the variable) on the first invalid value. */
export function loadConfig(env: Env): Config {
  const port = int(env, 'PORT', 8000, 0, 65535)
  const siteRoot = siteRootOf(env)
  const pingEndpointRaw = (env.PING_ENDPOINT ?? '').trim() || `${siteRoot}/ping/`
  url('PING_ENDPOINT', pingEndpointRaw)
  const pingEndpoint = pingEndpointRaw.endsWith('/') ? pingEndpointRaw : `${pingEndpointRaw}/`
  const secretKey = secret(env, 'SECRET_KEY') ?? ''
  const limitRaw = (env.PING_BODY_LIMIT ?? '').trim()
  const pingBodyLimit =
    limitRaw === 'None' ? null : int(env, 'PING_BODY_LIMIT', 10000, 0, 100 * 1024 * 1024)
  const defaultFromEmail = (env.DEFAULT_FROM_EMAIL ?? '').trim() || 'vigil@example.org'
  if (
    !/^[^@\s<>]+@[^@\s<>]+$/.test(defaultFromEmail) &&
    !/<[^@\s<>]+@[^@\s<>]+>$/.test(defaultFromEmail)
  ) {
    throw new ConfigError('DEFAULT_FROM_EMAIL', `not an email address: "${defaultFromEmail}"`)
  }
  const logLevel = (env.LOG_LEVEL ?? 'info').trim()
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      'LOG_LEVEL',
      `expected one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`,
    )
  }
  const logFormat = (env.LOG_FORMAT ?? '').trim().toLowerCase() || 'auto'
  if (logFormat !== 'auto' && logFormat !== 'json' && logFormat !== 'pretty')
    throw new ConfigError('LOG_FORMAT', `expected auto, json or pretty; got "${env.LOG_FORMAT}"`)
  const trustedProxyCidrs = (env.TRUSTED_PROXY_CIDRS ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
  for (const cidr of trustedProxyCidrs) {
    if (!isCidr(cidr)) {
      throw new ConfigError(
        'TRUSTED_PROXY_CIDRS',
        `"${cidr}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1)`,
      )
    }
  }
  return Object.freeze({
    siteRoot,
    siteName: (env.SITE_NAME ?? '').trim() || 'Vigil',
    secretKey: secretKey || '---',
    secretKeyIsDefault: secretKey === '' || secretKey === '---',
    port,
    host: (env.HOST ?? '').trim() || '0.0.0.0',
    db: { ...dbConfig(env), ...dbTimeouts(env) },
    defaultFromEmail,
    emailMailFromTmpl: mailFromTemplate(env),
    admins: adminsOf(env),
    smtp: smtpConfig(env),
    emailTlsCa: tlsCa(env),
    pingEndpoint,
    pingBodyLimit,
    s3: s3Config(env),
    registrationOpen: bool(env, 'REGISTRATION_OPEN', true),
    integrationsAllowPrivateIps: bool(env, 'INTEGRATIONS_ALLOW_PRIVATE_IPS', false),
    webhooksEnabled: bool(env, 'WEBHOOKS_ENABLED', true),
    workerPollMs: int(env, 'WORKER_POLL_MS', 1000, 10, 60000),
    deliveryConcurrency: int(env, 'DELIVERY_CONCURRENCY', 64, 1, 1000),
    deliveryChannelConcurrency: int(env, 'DELIVERY_CHANNEL_CONCURRENCY', 16, 1, 1000),
    alertGroupMin: int(env, 'ALERT_GROUP_MIN', 0, 0, 10000),
    alertGroupWindowMs: int(env, 'ALERT_GROUP_WINDOW', 60, 1, 3600) * 1000,
    workerOutageThresholdMs: outageThreshold(env) * 1000,
    emailMaxConnections: int(env, 'EMAIL_MAX_CONNECTIONS', 4, 1, 100),
    webhookTimeoutMs: seconds(env, 'WEBHOOK_TIMEOUT', 10, 0.01, 300),
    smtpTimeoutMs: seconds(env, 'EMAIL_TIMEOUT', 10, 0.01, 300),
    logLevel,
    logFormat,
    trustedProxyCidrs,
    accounts: accountsConfig(env, siteRoot),
    api: apiConfig(env, (env.SITE_NAME ?? '').trim() || 'Vigil'),
    deployment: deploymentConfig(env),
    http: httpServerConfig(env, siteRoot),
    integrations: integrationsConfig(env, {
      bool,
      int,
      secret,
      url,
      fail(name, problem) {
        throw new ConfigError(name, problem)
      },
    }),
    smtpd: smtpdConfig(env, {
      bool,
      int,
      secret,
      url,
      fail(name, problem) {
        throw new ConfigError(name, problem)
      },
    }),
  })
}

/** Seconds; 0 = off. Shorter than a few heartbeats (5 s each) would call a busy worker down. */
function outageThreshold(env: Env): number {
  const seconds = int(env, 'WORKER_OUTAGE_THRESHOLD', 120, 0, 604800)
  if (seconds !== 0 && seconds < 30)
    throw new ConfigError('WORKER_OUTAGE_THRESHOLD', 'expected 0 (off) or at least 30 seconds')
  return seconds
}

function isCidr(value: string): boolean {
  const [addr, bits, ...rest] = value.split('/')
  if (rest.length > 0) return false
  const version = isIP(addr)
  if (version === 0) return false
  if (bits === undefined) return true
  if (!/^\d+$/.test(bits)) return false
  return Number(bits) <= (version === 4 ? 32 : 128)
}

/** The one place that decides whether mail can go out; flows and doctor ask this. */
export function canSendMail(config: Config): boolean {
  return config.smtp !== null
}

/**
 * True when Twilio can send a text message: account SID, auth token and a sender (TWILIO_FROM or
 * TWILIO_MESSAGING_SERVICE_SID). A partial set is SMS-001; the SMS integration asks the same.
 */
export function canSendSms(config: Config): boolean {
  const t = config.integrations
  return (
    t.twilioAccount !== null &&
    t.twilioAuth !== null &&
    (t.twilioFrom !== null || t.twilioMessagingServiceSid !== null)
  )
}

// ---- Account security (spec accounts.md §5) -------------------------------------------------

export interface AccountsConfig {
  /** How long a proof of identity unlocks sensitive actions, seconds (SUDO_TTL, RA-2). */
  sudoTtlSeconds: number
  /** TOTP time steps accepted either side of now (TOTP_DRIFT_STEPS, TOTP-1). */
  totpDriftSteps: number
  /** 32-byte key for secrets at rest (ENCRYPTION_KEY, base64); null = derived from SECRET_KEY. */
  encryptionKey: string | null
  /** `fallback_only`: e-mailed codes only for users with no other factor; `always` (REAUTH_EMAIL_CODE). */
  reauthEmailCode: 'fallback_only' | 'always'
  /** WebAuthn relying party id (WEBAUTHN_RP_ID), default the SITE_ROOT host. */
  webauthnRpId: string
  /** Origins WebAuthn responses may come from: SITE_ROOT's plus WEBAUTHN_EXTRA_ORIGINS. */
  webauthnOrigins: string[]
  /** Days security events are kept (AUDIT_RETENTION_DAYS). */
  auditRetentionDays: number
  /** Sign-up with email and password, without a mailed link (SIGNUP_WITH_PASSWORD, LG-4). */
  signupWithPassword: boolean
  /** Shortest password accepted when one is set (PASSWORD_MIN_LENGTH, LG-1; 8–256, default 8). */
  passwordMinLength: number
  /** Refuse new passwords found in Have I Been Pwned (PASSWORD_BREACH_CHECK=off|hibp, LG-1). */
  passwordBreachCheck: 'off' | 'hibp'
  /**
   * PASSWORD_HASH_COST: `standard` (argon2id m=19 MiB, t=2, p=1: RC-2 and OWASP's minimum) or
   * `test` (m=1 MiB, t=1) for test suites, where hashing was a quarter of the CPU of the
   * account tests. `test` is refused in production.
   */
  passwordHashCost: 'standard' | 'test'
  /** Base URL of the Pwned Passwords range API, no trailing `/` (PASSWORD_BREACH_API_URL). */
  passwordBreachApiUrl: string
  /** How long the range query may take before the password is accepted unchecked, ms
   * (PASSWORD_BREACH_CHECK_TIMEOUT seconds, 0.01–30, default 3). */
  passwordBreachTimeoutMs: number
  /**
   * Least time a "Check your email" answer takes, known address or not (LG-2, no enumeration by
   * timing; SIGN_IN_LINK_MIN_ANSWER_MS, 0–15000, default 1500).
   */
  signInLinkMinAnswerMs: number
  /** Log-in (and sign-up) by emailed link; `EMAIL_LOGIN=off` turns it off entirely (LG-2). */
  emailLogin: boolean
  /**
   * Sign-in with a passkey alone (PASSKEY_LOGIN, WA-7, default off): discoverable credentials with
   * user verification; works only while the WebAuthn capability is enabled (WA-1).
   */
  passkeyLogin: boolean
  /**
   * Header auth (REMOTE_USER_HEADER, LG-8): the lower-case HTTP header holding the user's email,
   * believed only from peers in TRUSTED_PROXY_CIDRS; null = off.
   */
  remoteUserHeader: string | null
  /** REMOTE_USER_SECRET_HEADER and REMOTE_USER_SECRET: a header the proxy must send with this value. */
  remoteUserSecret: { header: string; value: string } | null
  /** Mail domains that ignore dots and +tags, folded in the RL-L1 key (RATELIMIT_EMAIL_ALIAS_DOMAINS). */
  emailAliasDomains: string[]
  /** HMAC key of stored API keys (API_KEY_HMAC_KEY, default SECRET_KEY as Healthchecks, AK-1). */
  apiKeyHmacKey: string
  /** Days an ownership transfer request stays open (PROJECT_TRANSFER_TTL_DAYS, TEAM-4). */
  projectTransferTtlDays: number
  /**
   * Confirming it's you with a code texted to a verified phone (SMS_REAUTH_ENABLED, RA-4 item 6,
   * default False); also needs Twilio (canSendSms).
   */
  smsReauthEnabled: boolean
  /** Cap of one interactive text-message send to Twilio, ms (SMS_TIMEOUT seconds, fractions allowed, 0.01–60, default 10). */
  smsTimeoutMs: number
  /** Log-in with an OpenID Connect provider (LG-9); null = off (OIDC_ISSUER or OIDC_CLIENT_ID unset). */
  oidc: OidcConfig | null
  /**
   * OIDC settings given only in part (e.g. OIDC_ISSUER without OIDC_CLIENT_ID): OIDC stays off and
   * the doctor says which are missing (OIDC-001). Empty when complete or not configured at all.
   */
  oidcMissing: string[]
}

/** LG-9: the OpenID Connect provider users may log in with (the admin's choice, not a user's). */
export interface OidcConfig {
  /** OIDC_ISSUER: the issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string
  clientId: string
  /** OIDC_CLIENT_SECRET; null = a public client (PKCE only, token endpoint auth `none`). */
  clientSecret: string | null
  /** SITE_ROOT + /login/oidc/callback: register this at the provider. */
  redirectUri: string
  /** OIDC_LINK_BY_EMAIL: an unknown (issuer, sub) with a verified email joins the account with it. */
  linkByEmail: boolean
  /** OIDC_ALLOWED_DOMAINS: email domains (lower-case) whose new users get an account on first log-in. */
  allowedDomains: string[]
  /**
   * OIDC_MFA_AMR: `amr` values (or an `acr` value) that mean the provider did multi-factor
   * authentication; they stand in for Vigil's second step and satisfy team 2FA policies (TEAM-3).
   */
  mfaAmr: string[]
  /** OIDC_BUTTON_LABEL, shown as "Log in with {label}"; default "single sign-on". */
  buttonLabel: string
  /** OIDC_TIMEOUT: seconds each request to the provider may take (fractions allowed, 0.01–60, default 10). */
  timeoutMs: number
}

/** The path of the OIDC redirect URI under SITE_ROOT (LG-9). */
export const OIDC_CALLBACK_PATH = '/login/oidc/callback'

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'))
}

function commaList(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
}

function oidcConfig(env: Env, siteRoot: string): { oidc: OidcConfig | null; missing: string[] } {
  const issuerRaw = (env.OIDC_ISSUER ?? '').trim()
  const clientId = (env.OIDC_CLIENT_ID ?? '').trim()
  const clientSecret = (secret(env, 'OIDC_CLIENT_SECRET') ?? '').trim() || null
  const linkByEmail = bool(env, 'OIDC_LINK_BY_EMAIL', false)
  const allowedDomains = commaList(env, 'OIDC_ALLOWED_DOMAINS').map((d) =>
    d.toLowerCase().replace(/^@/, ''),
  )
  for (const d of allowedDomains) {
    if (!/^[a-z0-9.-]+\.[a-z0-9-]+$|^localhost$/.test(d))
      throw new ConfigError('OIDC_ALLOWED_DOMAINS', `not a mail domain: "${d}" (e.g. example.com)`)
  }
  const timeoutMs = seconds(env, 'OIDC_TIMEOUT', 10, 0.01, 60)
  if (issuerRaw === '' || clientId === '') {
    const missing =
      issuerRaw === '' && clientId === ''
        ? []
        : issuerRaw === ''
          ? ['OIDC_ISSUER']
          : ['OIDC_CLIENT_ID']
    return { oidc: null, missing }
  }
  const u = url('OIDC_ISSUER', issuerRaw)
  // The issuer is set by the operator, so a loopback address is allowed (no private-address guard
  // as for user-given webhook URLs); plain http only there, since tokens travel on this channel.
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname))
    throw new ConfigError(
      'OIDC_ISSUER',
      `must use https:// (http:// only for localhost), got "${issuerRaw}"`,
    )
  if (u.search || u.hash)
    throw new ConfigError('OIDC_ISSUER', `must not have a query or fragment, got "${issuerRaw}"`)
  return {
    oidc: {
      issuer: issuerRaw,
      clientId,
      clientSecret,
      redirectUri: `${siteRoot}${OIDC_CALLBACK_PATH}`,
      linkByEmail,
      allowedDomains,
      mfaAmr: commaList(env, 'OIDC_MFA_AMR'),
      buttonLabel: (env.OIDC_BUTTON_LABEL ?? '').trim() || 'single sign-on',
      timeoutMs,
    },
    missing: [],
  }
}

/**
 * An HTTP header name given either as Healthchecks' WSGI form (`HTTP_X_AUTH_USER`: upper-case,
 * dashes as underscores) or as the header itself (`X-Auth-User`); returned lower-case, or null.
 */
function headerName(env: Env, name: string): string | null {
  const raw = (env[name] ?? '').trim()
  if (raw === '') return null
  if (/^HTTP_[A-Z0-9_]+$/.test(raw)) return raw.slice(5).replace(/_/g, '-').toLowerCase()
  if (/^[A-Za-z0-9-]+$/.test(raw)) return raw.toLowerCase()
  throw new ConfigError(name, `not an HTTP header name: "${raw}" (e.g. HTTP_X_AUTH_USER)`)
}

function remoteUserSecret(env: Env): { header: string; value: string } | null {
  const header = headerName(env, 'REMOTE_USER_SECRET_HEADER')
  const value = (secret(env, 'REMOTE_USER_SECRET') ?? '').trim()
  if (header === null && value === '') return null
  if (header === null)
    throw new ConfigError('REMOTE_USER_SECRET_HEADER', 'is needed when REMOTE_USER_SECRET is set')
  if (value === '')
    throw new ConfigError('REMOTE_USER_SECRET', 'is needed when REMOTE_USER_SECRET_HEADER is set')
  return { header, value }
}

function accountsConfig(env: Env, siteRoot: string): AccountsConfig {
  const encryptionKey = (secret(env, 'ENCRYPTION_KEY') ?? '').trim() || null
  if (encryptionKey !== null && Buffer.from(encryptionKey, 'base64').length !== 32) {
    throw new ConfigError('ENCRYPTION_KEY', 'must be 32 bytes in base64 (openssl rand -base64 32)')
  }
  const mode = (env.REAUTH_EMAIL_CODE ?? 'fallback_only').trim().toLowerCase()
  if (mode !== 'fallback_only' && mode !== 'always') {
    throw new ConfigError('REAUTH_EMAIL_CODE', `expected fallback_only or always, got "${mode}"`)
  }
  const emailLogin = (env.EMAIL_LOGIN ?? 'on').trim().toLowerCase()
  if (emailLogin !== 'on' && emailLogin !== 'off') {
    throw new ConfigError('EMAIL_LOGIN', `expected on or off, got "${emailLogin}"`)
  }
  const breachCheck = (env.PASSWORD_BREACH_CHECK ?? 'off').trim().toLowerCase() || 'off'
  if (breachCheck !== 'off' && breachCheck !== 'hibp') {
    throw new ConfigError('PASSWORD_BREACH_CHECK', `expected off or hibp, got "${breachCheck}"`)
  }
  const hashCost = (env.PASSWORD_HASH_COST ?? 'standard').trim().toLowerCase() || 'standard'
  if (hashCost !== 'standard' && hashCost !== 'test') {
    throw new ConfigError('PASSWORD_HASH_COST', `expected standard or test, got "${hashCost}"`)
  }
  if (hashCost === 'test' && deploymentConfig(env).production) {
    throw new ConfigError(
      'PASSWORD_HASH_COST',
      'test (weak hashes for test suites) is not allowed in production; remove the setting',
    )
  }
  const breachApi = url(
    'PASSWORD_BREACH_API_URL',
    (env.PASSWORD_BREACH_API_URL ?? '').trim() || 'https://api.pwnedpasswords.com',
  )
  const extraOrigins = (env.WEBAUTHN_EXTRA_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => url('WEBAUTHN_EXTRA_ORIGINS', o).origin)
  const oidc = oidcConfig(env, siteRoot)
  return {
    sudoTtlSeconds: int(env, 'SUDO_TTL', 1800, 300, 7200),
    totpDriftSteps: int(env, 'TOTP_DRIFT_STEPS', 1, 0, 2),
    encryptionKey,
    reauthEmailCode: mode,
    webauthnRpId: (env.WEBAUTHN_RP_ID ?? '').trim().toLowerCase() || new URL(siteRoot).hostname,
    webauthnOrigins: [new URL(siteRoot).origin, ...extraOrigins],
    auditRetentionDays: int(env, 'AUDIT_RETENTION_DAYS', 400, 1, 36500),
    signupWithPassword: bool(env, 'SIGNUP_WITH_PASSWORD', false),
    passwordMinLength: int(env, 'PASSWORD_MIN_LENGTH', 8, 8, 256),
    passwordBreachCheck: breachCheck,
    passwordHashCost: hashCost,
    passwordBreachApiUrl: breachApi.href.replace(/\/+$/, ''),
    passwordBreachTimeoutMs: seconds(env, 'PASSWORD_BREACH_CHECK_TIMEOUT', 3, 0.01, 30),
    signInLinkMinAnswerMs: int(env, 'SIGN_IN_LINK_MIN_ANSWER_MS', 1500, 0, 15000),
    emailLogin: emailLogin === 'on',
    passkeyLogin: bool(env, 'PASSKEY_LOGIN', false),
    remoteUserHeader: headerName(env, 'REMOTE_USER_HEADER'),
    remoteUserSecret: remoteUserSecret(env),
    emailAliasDomains: (env.RATELIMIT_EMAIL_ALIAS_DOMAINS ?? 'gmail.com,googlemail.com')
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
    apiKeyHmacKey:
      (secret(env, 'API_KEY_HMAC_KEY') ?? '') || (secret(env, 'SECRET_KEY') ?? '') || '---',
    projectTransferTtlDays: int(env, 'PROJECT_TRANSFER_TTL_DAYS', 14, 1, 365),
    smsReauthEnabled: bool(env, 'SMS_REAUTH_ENABLED', false),
    smsTimeoutMs: seconds(env, 'SMS_TIMEOUT', 10, 0.01, 60),
    oidc: oidc.oidc,
    oidcMissing: oidc.missing,
  }
}

// ---- Management API, badges and metrics endpoints (spec monitoring.md §3.7, §4.15, §6.1) ------

export interface ApiConfig {
  /** Label of the all-checks (`*`) badge (MASTER_BADGE_LABEL, default SITE_NAME). */
  masterBadgeLabel: string
  /** Key of `GET /api/vN/metrics/` (METRICS_KEY, sent as X-Metrics-Key); null = endpoint off. */
  metricsKey: string | null
  /** Serve the per-project Prometheus endpoints (PROMETHEUS_ENABLED, default True). */
  prometheusEnabled: boolean
}

function apiConfig(env: Env, siteName: string): ApiConfig {
  return {
    masterBadgeLabel: (env.MASTER_BADGE_LABEL ?? '').trim() || siteName,
    metricsKey: (secret(env, 'METRICS_KEY') ?? '').trim() || null,
    prometheusEnabled: bool(env, 'PROMETHEUS_ENABLED', true),
  }
}

// ---- Deployment facts the doctor judges (spec accounts.md 5.17) ------------------------------

export interface DeploymentConfig {
  /** SITE_ROOT was not set: the `http://localhost:PORT` default is in use (SITE-001 in production). */
  siteRootIsDefault: boolean
  /** SITE_ROOT as given, before normalisation (SITE-001 looks for a query or fragment). */
  siteRootRaw: string
  /**
   * A production instance: NODE_ENV=production, or DEBUG=False set explicitly (a Healthchecks
   * environment file). Decides whether SEC-001 is fatal; unset means development, so `npm start`
   * with no configuration still starts.
   */
  production: boolean
  /** DEBUG=True (Healthchecks' name; default False here, as Vigil has no debug pages). SEC-004. */
  debug: boolean
  /** ALLOW_INSECURE_SECRET_KEY=True: start even with a placeholder SECRET_KEY (SEC-001). */
  allowInsecureSecretKey: boolean
  /** ALLOWED_HOSTS as Healthchecks (comma-separated, `*`, `.example.com`); empty = the SITE_ROOT host
   * plus loopback names (config/allowed-hosts.ts). Enforced on every request (app.ts). */
  allowedHosts: string[]
}

function deploymentConfig(env: Env): DeploymentConfig {
  const siteRootRaw = (env.SITE_ROOT ?? '').trim()
  const debugGiven = (env.DEBUG ?? '').trim() !== ''
  const debug = bool(env, 'DEBUG', false)
  return {
    siteRootIsDefault: siteRootRaw === '',
    siteRootRaw,
    production: (env.NODE_ENV ?? '').trim() === 'production' || (debugGiven && !debug),
    debug,
    allowInsecureSecretKey: bool(env, 'ALLOW_INSECURE_SECRET_KEY', false),
    allowedHosts: (env.ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  }
}

// ---- The HTTP server's limits and HSTS (issue 11: F3 slow-body DoS, F9 HSTS) -----------------

export interface HttpServerConfig {
  /**
   * REQUEST_TIMEOUT: seconds a request may take to arrive whole, headers and body (default 30;
   * fractions allowed). Past it Node answers 408 and closes the socket.
   */
  requestTimeoutMs: number
  /** HEADERS_TIMEOUT: seconds for the request headers (default 10, at most REQUEST_TIMEOUT). */
  headersTimeoutMs: number
  /** KEEPALIVE_TIMEOUT: seconds an idle keep-alive connection stays open (default 5). */
  keepAliveTimeoutMs: number
  /** MAX_CONNECTIONS: concurrent connections per process; more are closed at once (default 10000). */
  maxConnections: number
  /** MAX_REQUESTS_PER_SOCKET: requests on one keep-alive connection before it closes (default 1000; 0 = no limit). */
  maxRequestsPerSocket: number
  /**
   * SECURE_HSTS_SECONDS (Django's name): the `max-age` of Strict-Transport-Security, sent on every
   * response when SITE_ROOT is https (default 31536000, one year); 0 = not sent, and always 0 when
   * SITE_ROOT is http (browsers ignore it there).
   */
  hstsSeconds: number
}

/** Seconds (fractions allowed, e.g. 0.5) as whole milliseconds, within [min, max] seconds. */
function httpServerConfig(env: Env, siteRoot: string): HttpServerConfig {
  const requestTimeoutMs = seconds(env, 'REQUEST_TIMEOUT', 30, 0.01, 3600)
  // Node refuses a headers timeout longer than the request timeout.
  const headersGiven = (env.HEADERS_TIMEOUT ?? '').trim() !== ''
  const headersTimeoutMs = headersGiven
    ? seconds(env, 'HEADERS_TIMEOUT', 10, 0.01, 3600)
    : Math.min(10_000, requestTimeoutMs)
  if (headersTimeoutMs > requestTimeoutMs)
    throw new ConfigError('HEADERS_TIMEOUT', 'must not be longer than REQUEST_TIMEOUT')
  const hsts = int(env, 'SECURE_HSTS_SECONDS', 31_536_000, 0, 10 * 31_536_000)
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: seconds(env, 'KEEPALIVE_TIMEOUT', 5, 0.01, 3600),
    maxConnections: int(env, 'MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    maxRequestsPerSocket: int(env, 'MAX_REQUESTS_PER_SOCKET', 1000, 0, 1_000_000),
    hstsSeconds: new URL(siteRoot).protocol === 'https:' ? hsts : 0,
  }
}
