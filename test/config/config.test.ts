import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, canSendMail, loadConfig } from '../../src/config/index.js'

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (e) {
    assert.ok(e instanceof ConfigError)
    return e.message
  }
  assert.fail('expected a ConfigError')
}

test('defaults give a complete SQLite instance on localhost:8000', () => {
  const c = loadConfig({})
  assert.equal(c.siteRoot, 'http://localhost:8000')
  assert.equal(c.pingEndpoint, 'http://localhost:8000/ping/')
  assert.deepEqual(c.db, {
    kind: 'sqlite',
    file: './data/vigil.sqlite',
    connectTimeoutMs: 5000,
    statementTimeoutMs: 5000,
  })
  assert.equal(c.port, 8000)
  assert.equal(c.pingBodyLimit, 10000)
  assert.equal(c.smtp, null)
  assert.equal(canSendMail(c), false)
  assert.equal(c.secretKeyIsDefault, true)
  assert.equal(c.registrationOpen, true)
  assert.equal(c.workerPollMs <= 1000, true)
})

test('SITE_ROOT loses its trailing slash and seeds PING_ENDPOINT', () => {
  const c = loadConfig({ SITE_ROOT: 'https://hc.example.com/' })
  assert.equal(c.siteRoot, 'https://hc.example.com')
  assert.equal(c.pingEndpoint, 'https://hc.example.com/ping/')
})

test('PING_ENDPOINT gets a trailing slash', () => {
  assert.equal(
    loadConfig({ PING_ENDPOINT: 'https://ping.example.com' }).pingEndpoint,
    'https://ping.example.com/',
  )
})

test('an invalid value names the variable and the problem', () => {
  assert.match(problem({ SITE_ROOT: 'not a url' }), /^SITE_ROOT: not a valid URL/)
  assert.match(problem({ SITE_ROOT: 'ftp://x' }), /^SITE_ROOT: must start with http/)
  assert.match(problem({ PORT: 'eighty' }), /^PORT: expected a whole number/)
  assert.match(problem({ PORT: '70000' }), /^PORT: must be between 0 and 65535/)
  assert.match(
    problem({ REGISTRATION_OPEN: 'maybe' }),
    /^REGISTRATION_OPEN: expected True or False/,
  )
  assert.match(problem({ DB: 'oracle' }), /^DB: unsupported database/)
  assert.match(problem({ DATABASE_URL: 'mysql://x/y' }), /^DATABASE_URL: unsupported scheme/)
  assert.match(problem({ PING_BODY_LIMIT: '-1' }), /^PING_BODY_LIMIT: expected a whole number/)
  assert.match(
    problem({ DEFAULT_FROM_EMAIL: 'nobody' }),
    /^DEFAULT_FROM_EMAIL: not an email address/,
  )
  assert.match(
    problem({ EMAIL_HOST: 'smtp', EMAIL_USE_TLS: 'True', EMAIL_USE_SSL: 'True' }),
    /^EMAIL_USE_SSL: /,
  )
})

test('bounces: EMAIL_MAIL_FROM_TMPL is off by default and takes one %s in the local part', () => {
  assert.equal(loadConfig({}).emailMailFromTmpl, '')
  assert.equal(loadConfig({ EMAIL_MAIL_FROM_TMPL: '  ' }).emailMailFromTmpl, '')
  for (const ok of ['%s@bounces.example.org', 'bounces+%s@example.org', 'b-%s-x@example.org'])
    assert.equal(loadConfig({ EMAIL_MAIL_FROM_TMPL: ok }).emailMailFromTmpl, ok)
  const bad = (tmpl: string) => problem({ EMAIL_MAIL_FROM_TMPL: tmpl })
  assert.match(bad('bounces@example.org'), /^EMAIL_MAIL_FROM_TMPL: must contain %s exactly once/)
  assert.match(bad('%s.%s@example.org'), /^EMAIL_MAIL_FROM_TMPL: must contain %s exactly once/)
  assert.match(bad('%s%d@example.org'), /^EMAIL_MAIL_FROM_TMPL: may contain no % other than/)
  assert.match(bad('%s@%%.org'), /^EMAIL_MAIL_FROM_TMPL: may contain no % other than/)
  for (const tmpl of ['%s', 'bounces@%s.example.org', '%s@', 'a b%s@example.org', '<%s@x.org>'])
    assert.match(
      bad(tmpl),
      /^EMAIL_MAIL_FROM_TMPL: must be an email address with %s in the part before @/,
    )
})

test('booleans accept Healthchecks spellings', () => {
  assert.equal(loadConfig({ REGISTRATION_OPEN: 'False' }).registrationOpen, false)
  assert.equal(loadConfig({ REGISTRATION_OPEN: '' }).registrationOpen, false)
  assert.equal(
    loadConfig({ INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' }).integrationsAllowPrivateIps,
    true,
  )
})

test('PING_BODY_LIMIT=None means no limit', () => {
  assert.equal(loadConfig({ PING_BODY_LIMIT: 'None' }).pingBodyLimit, null)
})

test('DB=postgres uses Healthchecks variable names', () => {
  const c = loadConfig({
    DB: 'postgres',
    DB_HOST: 'db',
    DB_PORT: '5433',
    DB_NAME: 'hc',
    DB_USER: 'u',
    DB_PASSWORD: 'p',
  })
  assert.deepEqual(c.db, {
    kind: 'postgres',
    host: 'db',
    port: 5433,
    database: 'hc',
    user: 'u',
    password: 'p',
    schema: undefined,
    connectTimeoutMs: 5000,
    statementTimeoutMs: 5000,
  })
})

test('DATABASE_URL is a shorthand for PostgreSQL and SQLite', () => {
  assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://u:p%40ss@db.example:6543/vigil' }).db, {
    kind: 'postgres',
    host: 'db.example',
    port: 6543,
    database: 'vigil',
    user: 'u',
    password: 'p@ss',
    schema: undefined,
    connectTimeoutMs: 5000,
    statementTimeoutMs: 5000,
  })
  assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:./x.sqlite' }).db, {
    kind: 'sqlite',
    file: './x.sqlite',
    connectTimeoutMs: 5000,
    statementTimeoutMs: 5000,
  })
})

test('EMAIL_HOST turns SMTP on with STARTTLS on port 587 by default', () => {
  const c = loadConfig({
    EMAIL_HOST: 'smtp.example.com',
    EMAIL_HOST_USER: 'u',
    EMAIL_HOST_PASSWORD: 'p',
  })
  assert.deepEqual(c.smtp, {
    host: 'smtp.example.com',
    port: 587,
    user: 'u',
    password: 'p',
    useTls: true,
    useSsl: false,
  })
  assert.equal(canSendMail(c), true)
  assert.equal(loadConfig({ EMAIL_HOST: 'h', EMAIL_USE_SSL: 'True' }).smtp?.port, 465)
})

test('the config object is frozen', () => {
  const c = loadConfig({})
  assert.throws(() => {
    ;(c as { siteName: string }).siteName = 'x'
  })
})

test('TRUSTED_PROXY_CIDRS takes addresses and ranges and refuses anything else', () => {
  assert.deepEqual(
    loadConfig({ TRUSTED_PROXY_CIDRS: '127.0.0.1, 10.0.0.0/8,::1' }).trustedProxyCidrs,
    ['127.0.0.1', '10.0.0.0/8', '::1'],
  )
  assert.deepEqual(loadConfig({}).trustedProxyCidrs, [])
  assert.match(
    problem({ TRUSTED_PROXY_CIDRS: '10.0.0.0/33' }),
    /^TRUSTED_PROXY_CIDRS: "10.0.0.0\/33" is not/,
  )
  assert.match(problem({ TRUSTED_PROXY_CIDRS: 'proxy.local' }), /^TRUSTED_PROXY_CIDRS: /)
})

test('integration settings: switches, vendor API bases and credentials', () => {
  const d = loadConfig({}).integrations
  assert.equal(d.slackEnabled, true)
  assert.equal(d.shellEnabled, false)
  assert.equal(d.appriseEnabled, false)
  assert.equal(d.pdApiUrl, 'https://events.pagerduty.com')
  assert.equal(d.telegramApiUrl, 'https://api.telegram.org')
  assert.equal(d.telegramToken, null)
  assert.equal(d.pushoverEmergencyRetryDelay, 300)
  const c = loadConfig({
    SLACK_ENABLED: 'False',
    PD_API_URL: 'http://127.0.0.1:9000/pd/',
    TELEGRAM_TOKEN: ' 123:abc ',
  }).integrations
  assert.equal(c.slackEnabled, false)
  assert.equal(c.pdApiUrl, 'http://127.0.0.1:9000/pd')
  assert.equal(c.telegramToken, '123:abc')
  assert.equal(
    problem({ OPSGENIE_API_URL: 'ftp://x' }),
    'OPSGENIE_API_URL: must start with http:// or https://, got "ftp://x"',
  )
  assert.equal(
    problem({ SIGNAL_CLI_SOCKET: 'host:port' }),
    'SIGNAL_CLI_SOCKET: expected a UNIX socket path or host:port, got "host:port"',
  )
  assert.equal(problem({ PD_ENABLED: 'maybe' }), 'PD_ENABLED: expected True or False, got "maybe"')
})

// ---- Management API, badges and metrics endpoints ----

test('api settings default to the site name, no metrics key and Prometheus on', () => {
  const d = loadConfig({ SITE_NAME: 'Acme Checks' }).api
  assert.deepEqual(d, {
    masterBadgeLabel: 'Acme Checks',
    metricsKey: null,
    prometheusEnabled: true,
  })
  assert.equal(loadConfig({}).api.masterBadgeLabel, 'Vigil')
})

test('MASTER_BADGE_LABEL, METRICS_KEY and PROMETHEUS_ENABLED are read', () => {
  const c = loadConfig({
    MASTER_BADGE_LABEL: ' All jobs ',
    METRICS_KEY: ' s3cret ',
    PROMETHEUS_ENABLED: 'False',
  }).api
  assert.equal(c.masterBadgeLabel, 'All jobs')
  assert.equal(c.metricsKey, 's3cret')
  assert.equal(c.prometheusEnabled, false)
  assert.equal(loadConfig({ METRICS_KEY: '  ' }).api.metricsKey, null)
  assert.equal(
    problem({ PROMETHEUS_ENABLED: 'perhaps' }),
    'PROMETHEUS_ENABLED: expected True or False, got "perhaps"',
  )
})

test('account security settings have the spec defaults and their own ranges', () => {
  const c = loadConfig({ SITE_ROOT: 'https://hc.example.com' })
  assert.deepEqual(c.accounts, {
    sudoTtlSeconds: 1800,
    totpDriftSteps: 1,
    encryptionKey: null,
    reauthEmailCode: 'fallback_only',
    webauthnRpId: 'hc.example.com',
    webauthnOrigins: ['https://hc.example.com'],
    auditRetentionDays: 400,
    signupWithPassword: false,
    passwordMinLength: 8,
    passwordBreachCheck: 'off',
    passwordHashCost: 'standard',
    passwordBreachApiUrl: 'https://api.pwnedpasswords.com',
    passwordBreachTimeoutMs: 3000,
    signInLinkMinAnswerMs: 1500,
    emailLogin: true,
    passkeyLogin: false,
    remoteUserHeader: null,
    remoteUserSecret: null,
    emailAliasDomains: ['gmail.com', 'googlemail.com'],
    apiKeyHmacKey: '---',
    projectTransferTtlDays: 14,
    smsReauthEnabled: false,
    smsTimeoutMs: 10_000,
    oidc: null,
    oidcMissing: [],
  })
  const custom = loadConfig({
    SITE_ROOT: 'https://hc.example.com',
    SUDO_TTL: '300',
    TOTP_DRIFT_STEPS: '2',
    ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    REAUTH_EMAIL_CODE: 'always',
    WEBAUTHN_RP_ID: 'Example.com',
    WEBAUTHN_EXTRA_ORIGINS: 'https://other.example.com/, https://x.example.com',
    AUDIT_RETENTION_DAYS: '30',
  })
  assert.equal(custom.accounts.sudoTtlSeconds, 300)
  assert.equal(custom.accounts.totpDriftSteps, 2)
  assert.equal(custom.accounts.reauthEmailCode, 'always')
  assert.equal(custom.accounts.webauthnRpId, 'example.com')
  assert.deepEqual(custom.accounts.webauthnOrigins, [
    'https://hc.example.com',
    'https://other.example.com',
    'https://x.example.com',
  ])
  assert.match(problem({ SUDO_TTL: '100' }), /^SUDO_TTL: must be between 300 and 7200/)
  assert.match(problem({ TOTP_DRIFT_STEPS: '3' }), /^TOTP_DRIFT_STEPS: must be between 0 and 2/)
  assert.match(problem({ ENCRYPTION_KEY: 'short' }), /^ENCRYPTION_KEY: must be 32 bytes in base64/)
  assert.match(
    problem({ REAUTH_EMAIL_CODE: 'never' }),
    /^REAUTH_EMAIL_CODE: expected fallback_only or always/,
  )
})

test('*_TIMEOUT and PASSWORD_BREACH_CHECK_TIMEOUT take seconds, fractions too, as milliseconds', () => {
  const d = loadConfig({})
  assert.deepEqual(
    [
      d.webhookTimeoutMs,
      d.smtpTimeoutMs,
      d.accounts.smsTimeoutMs,
      d.accounts.passwordBreachTimeoutMs,
    ],
    [10_000, 10_000, 10_000, 3000],
  )
  const c = loadConfig({
    WEBHOOK_TIMEOUT: '0.25',
    EMAIL_TIMEOUT: '2',
    SMS_TIMEOUT: '.5',
    PASSWORD_BREACH_CHECK_TIMEOUT: '0.1',
  })
  assert.deepEqual(
    [
      c.webhookTimeoutMs,
      c.smtpTimeoutMs,
      c.accounts.smsTimeoutMs,
      c.accounts.passwordBreachTimeoutMs,
    ],
    [250, 2000, 500, 100],
  )
  assert.match(problem({ EMAIL_TIMEOUT: 'soon' }), /^EMAIL_TIMEOUT: expected a number of seconds/)
  assert.match(problem({ WEBHOOK_TIMEOUT: '-1' }), /^WEBHOOK_TIMEOUT: expected a number of seconds/)
  assert.match(problem({ OIDC_TIMEOUT: '0' }), /^OIDC_TIMEOUT: must be between 0.01 and 60/)
  assert.match(
    problem({ PASSWORD_BREACH_CHECK_TIMEOUT: '31' }),
    /^PASSWORD_BREACH_CHECK_TIMEOUT: must be/,
  )
})

test('PASSWORD_HASH_COST: standard by default, test only outside production', () => {
  assert.equal(loadConfig({}).accounts.passwordHashCost, 'standard')
  assert.equal(loadConfig({ PASSWORD_HASH_COST: 'test' }).accounts.passwordHashCost, 'test')
  assert.throws(
    () =>
      loadConfig({
        PASSWORD_HASH_COST: 'test',
        NODE_ENV: 'production',
        SECRET_KEY: 'x'.repeat(50),
      }),
    /PASSWORD_HASH_COST: test \(weak hashes for test suites\) is not allowed in production/,
  )
  assert.throws(() => loadConfig({ PASSWORD_HASH_COST: 'cheap' }), /expected standard or test/)
})
