/**
 * The configuration and health checks behind `vigil doctor`, the start-up log summary and the
 * admin status page: one list, stable ids (spec accounts.md 5.17: MAIL-001, SEC-001, …; the
 * first ids `vigil.W00x`/`vigil.E00x` stay printed beside them), a hint for each. Mirrors
 * Healthchecks' system checks (hc/api/apps.py) and adds what its sudo-by-email flow never asked.
 */
import {
  isSecureSite,
  issuerVariants,
  passkeyLoginCapability,
  probeProvider,
  webauthnCapability,
} from '../accounts/index.js'
import { type Config, hostAllowed } from '../config/index.js'
import type { Ctx } from '../context.js'
import { isDatabaseUp, pendingMigrations } from '../db/index.js'
import { mailStatus } from '../mail/index.js'
import { clockOffsetFinding } from './clock-offset.js'
import { runNetworkChecks } from './network-checks.js'
import { objectStoreNetworkFindings, waitingBodiesFindings } from './object-store-findings.js'
import { requestSampleFindings } from './request-sample.js'
import { secretFingerprintFinding } from './secret-fingerprint.js'
import { setupCodeFinding } from './setup-code-finding.js'

export type Severity = 'fatal' | 'error' | 'warning' | 'info' | 'ok'

export interface Finding {
  /** Stable id, e.g. `MAIL-001` (spec 5.17) or `vigil.E003`; documented in the README. */
  id: string
  /** The id this finding had before the spec ids (e.g. `vigil.W002`), still printed. */
  legacyId?: string
  severity: Severity
  /** What is the matter, in one sentence. */
  message: string
  /** What the admin should do. */
  hint?: string
}

/** How recent a worker heartbeat must be for the worker to count as running. */
export const WORKER_HEARTBEAT_MAX_AGE_MS = 60_000

/** Placeholder secrets that must never protect a real instance (SEC-001). */
const PLACEHOLDER_SECRETS = new Set(['', '---', 'secret', 'changeme', 'change-me', 'replace-me'])

/** The spec's name of a severity (5.17 writes `warn`), for log lines and JSON. */
export function specSeverity(s: Severity): 'fatal' | 'error' | 'warn' | 'info' | 'ok' {
  return s === 'warning' ? 'warn' : s
}

/** True when the finding makes `vigil doctor` exit 1 and shows the admin banner. */
export function isProblem(f: Finding): boolean {
  return f.severity === 'fatal' || f.severity === 'error'
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

/** SITE-001 (query/fragment, or unset in production), SITE-005, SEC-004, SEC-006. */
function siteFindings(config: Config): Finding[] {
  const out: Finding[] = []
  const d = config.deployment
  const root = new URL(config.siteRoot)
  if (/[?#]/.test(d.siteRootRaw)) {
    out.push({
      id: 'SITE-001',
      severity: 'fatal',
      message: `SITE_ROOT (${d.siteRootRaw}) has a query or fragment: links built from it would be broken.`,
      hint: 'Set SITE_ROOT to scheme, host and optional path only, e.g. https://vigil.example.com.',
    })
  } else if (d.siteRootIsDefault && d.production) {
    out.push({
      id: 'SITE-001',
      severity: 'fatal',
      message: `SITE_ROOT is not set in production: links in emails and ping URLs would point to ${config.siteRoot}.`,
      hint: 'Set SITE_ROOT to the address people and jobs use, e.g. https://vigil.example.com.',
    })
  }
  if (d.allowedHosts.length > 0 && !hostAllowed(root.hostname, d.allowedHosts)) {
    out.push({
      id: 'SITE-005',
      severity: 'fatal',
      message: `ALLOWED_HOSTS (${d.allowedHosts.join(', ')}) does not include the SITE_ROOT host ${root.hostname}.`,
      hint: `Add ${root.hostname} to ALLOWED_HOSTS, or unset ALLOWED_HOSTS (it defaults to the SITE_ROOT host).`,
    })
  }
  if (d.debug && !LOCAL_HOSTS.has(root.hostname)) {
    out.push({
      id: 'SEC-004',
      severity: 'error',
      message: `DEBUG is on while SITE_ROOT (${config.siteRoot}) is a public address.`,
      hint: 'Set DEBUG=False on any instance others can reach.',
    })
  }
  if (root.protocol === 'https:' && !isSecureSite(config)) {
    out.push({
      id: 'SEC-006',
      severity: 'error',
      message: 'SITE_ROOT is https, but session cookies would be sent without the Secure flag.',
      hint: 'Report this as a bug: the Secure flag follows SITE_ROOT.',
    })
  }
  return out
}

/** SMS-001: Twilio needs an account, a token and a sender (number or messaging service). */
function smsFindings(config: Config): Finding[] {
  const i = config.integrations
  const parts = {
    TWILIO_ACCOUNT: i.twilioAccount,
    TWILIO_AUTH: i.twilioAuth,
    'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID': i.twilioFrom ?? i.twilioMessagingServiceSid,
  }
  const missing = Object.entries(parts)
    .filter(([, v]) => v === null)
    .map(([k]) => k)
  if (missing.length === 0 || missing.length === 3) return []
  return [
    {
      id: 'SMS-001',
      severity: 'warning',
      message: `Twilio is partly configured: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing, so SMS, WhatsApp and phone-call integrations are off.`,
      hint: 'Set TWILIO_ACCOUNT, TWILIO_AUTH and TWILIO_FROM (or TWILIO_MESSAGING_SERVICE_SID), or unset them all.',
    },
  ]
}

/** OIDC-001: OIDC needs both OIDC_ISSUER and OIDC_CLIENT_ID; with one of them it stays off. */
function oidcFindings(config: Config): Finding[] {
  const missing = config.accounts.oidcMissing
  if (missing.length === 0) return []
  return [
    {
      id: 'OIDC-001',
      severity: 'warning',
      message: `OIDC log-in is partly configured: ${missing.join(' and ')} is missing, so "Log in with …" is not offered.`,
      hint: 'Set OIDC_ISSUER and OIDC_CLIENT_ID (and OIDC_CLIENT_SECRET for a confidential client), or unset them all.',
    },
  ]
}

/** Findings that need only the configuration (fast; used in the start-up log). */
export function configFindings(config: Config): Finding[] {
  const out: Finding[] = []
  if (config.secretKeyIsDefault || PLACEHOLDER_SECRETS.has(config.secretKey)) {
    const d = config.deployment
    const refuse = d.production && !d.allowInsecureSecretKey
    out.push({
      id: 'SEC-001',
      legacyId: 'vigil.W001',
      severity: refuse ? 'fatal' : 'error',
      message: config.secretKeyIsDefault
        ? 'SECRET_KEY is not set or is the Healthchecks placeholder `---`: sessions, CSRF tokens and signed links use a public default key.'
        : `SECRET_KEY is a known placeholder ("${config.secretKey}"): sessions, CSRF tokens and signed links use a guessable key.`,
      hint: `Set SECRET_KEY to a long random value, e.g. the output of \`openssl rand -base64 48\`.${refuse ? ' A production instance (NODE_ENV=production or DEBUG=False) refuses to start with it unless ALLOW_INSECURE_SECRET_KEY=True.' : ''}`,
    })
  } else if (config.secretKey.length < 32) {
    out.push({
      id: 'SEC-002',
      severity: 'warning',
      message: `SECRET_KEY has only ${config.secretKey.length} characters.`,
      hint: 'Use at least 32 random characters, e.g. `openssl rand -base64 48`.',
    })
  }
  if (config.smtp === null) {
    out.push({
      id: 'MAIL-001',
      legacyId: 'vigil.W002',
      severity: 'warning',
      message:
        'Email is not configured (EMAIL_HOST is empty): email alerts stay in the outbox as not-sent, and sign-in links, emailed codes and invitations are off.',
      hint: 'Set EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and DEFAULT_FROM_EMAIL.',
    })
  }
  const senderDomain = (/@([^@>\s]+)>?$/.exec(config.defaultFromEmail)?.[1] ?? '').toLowerCase()
  if (['example.org', 'example.com', 'localhost'].includes(senderDomain)) {
    out.push({
      id: 'MAIL-002',
      legacyId: 'vigil.W003',
      severity: config.smtp === null ? 'warning' : 'error',
      message: `DEFAULT_FROM_EMAIL is ${config.defaultFromEmail}: most mail servers reject or junk such mail.`,
      hint: 'Use a sender address your provider accepts (DEFAULT_FROM_EMAIL).',
    })
  }
  if (config.smtp?.useTls && config.smtp.port === 465) {
    out.push({
      id: 'MAIL-003',
      severity: 'error',
      message: 'EMAIL_PORT is 465 (implicit TLS) but EMAIL_USE_TLS asks for STARTTLS.',
      hint: 'Set EMAIL_USE_SSL=True and EMAIL_USE_TLS=False for port 465, or use port 587.',
    })
  } else if (config.smtp?.useSsl && (config.smtp.port === 587 || config.smtp.port === 25)) {
    out.push({
      id: 'MAIL-003',
      severity: 'error',
      message: `EMAIL_PORT is ${config.smtp.port} (STARTTLS) but EMAIL_USE_SSL asks for implicit TLS.`,
      hint: 'Set EMAIL_USE_TLS=True and EMAIL_USE_SSL=False for this port, or use port 465.',
    })
  }
  const root = new URL(config.siteRoot)
  if (root.hostname === 'localhost' || root.hostname === '127.0.0.1') {
    out.push({
      id: 'SITE-002',
      legacyId: 'vigil.W004',
      severity: 'warning',
      message: `SITE_ROOT is ${config.siteRoot}: links in emails and ping URLs shown to users point to this machine only.`,
      hint: 'Set SITE_ROOT to the address people and jobs use to reach Vigil, e.g. https://vigil.example.com.',
    })
  }
  const webauthn = webauthnCapability(config)
  if (!webauthn.enabled) {
    const rpId = config.accounts.webauthnRpId
    const id =
      rpId !== root.hostname && !root.hostname.endsWith(`.${rpId}`)
        ? 'WEBAUTHN-001'
        : !rpId.includes('.') && rpId !== 'localhost'
          ? 'WEBAUTHN-002'
          : 'WEBAUTHN-003'
    out.push({
      id,
      severity: id === 'WEBAUTHN-003' ? 'warning' : 'error',
      message: `Security keys are disabled: ${webauthn.reason}.`,
      hint:
        id === 'WEBAUTHN-003'
          ? 'Serve Vigil over https (SITE_ROOT=https://…) to use security keys.'
          : 'Unset WEBAUTHN_RP_ID, or set it to the SITE_ROOT host or a parent domain of it.',
    })
  }
  out.push(...siteFindings(config), ...smsFindings(config), ...oidcFindings(config))
  if (config.registrationOpen && config.smtp === null) {
    out.push({
      id: 'REG-001',
      severity: 'warning',
      message:
        'REGISTRATION_OPEN is on but email is not configured: sign-up by email is hidden; only password sign-up works.',
      hint: 'Configure email, or set REGISTRATION_OPEN=False.',
    })
  }
  if (config.accounts.remoteUserHeader !== null && config.trustedProxyCidrs.length === 0) {
    out.push({
      id: 'SEC-005',
      severity: 'fatal',
      message:
        'REMOTE_USER_HEADER is set but TRUSTED_PROXY_CIDRS is empty: anyone could name any user in that header, so header auth is refused.',
      hint: 'Set TRUSTED_PROXY_CIDRS to the address(es) of the reverse proxy that sets the header, or unset REMOTE_USER_HEADER.',
    })
  }
  if (config.smtpd.port !== null && config.smtpd.pingEmailDomain === null) {
    out.push({
      id: 'SMTPD-001',
      severity: 'warning',
      message:
        'SMTPD_PORT is set but PING_EMAIL_DOMAIN is not: the ping-by-email server accepts only @localhost addresses and check pages show no address.',
      hint: 'Set PING_EMAIL_DOMAIN to the domain whose MX record points at this server.',
    })
  }
  return out
}

/** Which 5.17 check an SMTP probe failure is (MAIL-004…009), from nodemailer's error. */
export function classifySmtpProblem(problem: string): { id: string; hint: string } {
  // Addresses come out first: a port such as 25350 or a host such as auth.example.net in
  // "connect ECONNREFUSED 127.0.0.1:25350" is not a reply code or an authentication failure.
  const p = problem
    .toLowerCase()
    .replace(/\[[0-9a-f:.]+\](:\d+)?|[a-z0-9.-]*[a-z0-9]:\d{1,5}\b|\b(\d{1,3}\.){3}\d{1,3}\b/g, ' ')
  if (/enotfound|eai_again|getaddrinfo/.test(p))
    return { id: 'MAIL-004', hint: 'Check EMAIL_HOST: its name does not resolve.' }
  if (/\b53[045]\b|invalid login|authentication|eauth|\bauth/.test(p))
    return {
      id: 'MAIL-008',
      hint: 'Check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD (the server refused them or needs them).',
    }
  if (/certificate|self.signed|tls|ssl|handshake|wrong version/.test(p))
    return {
      id: 'MAIL-007',
      hint: 'Provide EMAIL_TLS_CA_FILE for private CAs (or a self-signed server certificate), and check EMAIL_USE_TLS/EMAIL_USE_SSL. Verification is never turned off automatically.',
    }
  if (/greeting|ehlo|banner/.test(p))
    return { id: 'MAIL-006', hint: 'The server did not greet in time: check EMAIL_PORT.' }
  if (/mail from|sender/.test(p))
    return { id: 'MAIL-009', hint: 'Use a DEFAULT_FROM_EMAIL your provider accepts.' }
  return {
    id: 'MAIL-005',
    hint: 'Check EMAIL_HOST and EMAIL_PORT, and that the server is reachable from here.',
  }
}

export interface DoctorOptions {
  /** Try to reach the SMTP server (default true for the CLI). */
  network: boolean
}

/** Every finding: configuration, database, migrations, SMTP reachability, worker heartbeat. */
export async function runDoctor(ctx: Ctx, options: DoctorOptions): Promise<Finding[]> {
  const out = configFindings(ctx.config)
  if (!(await isDatabaseUp(ctx.db))) {
    out.push({
      id: 'vigil.E001',
      severity: 'error',
      message: `The database does not answer (${ctx.db.dialect}).`,
      hint:
        ctx.db.dialect === 'postgres'
          ? 'Check DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD or DATABASE_URL and that PostgreSQL runs.'
          : 'Check that DB_NAME points to a writable file.',
    })
    return out
  }
  const pending = await pendingMigrations(ctx.db)
  if (pending.length > 0) {
    out.push({
      id: 'vigil.E002',
      severity: 'error',
      message: `${pending.length} database migration(s) pending: ${pending.join(', ')}.`,
      hint: 'Run `vigil migrate` (or start `vigil serve`, which migrates on start).',
    })
  } else {
    const now = ctx.clock.now()
    const beat = await ctx.db.kysely
      .selectFrom('worker_heartbeats')
      .select((eb) => eb.fn.max('last_seen').as('last'))
      .executeTakeFirst()
    const last = beat?.last === null || beat?.last === undefined ? null : Number(beat.last)
    if (last === null || now - last > WORKER_HEARTBEAT_MAX_AGE_MS) {
      out.push({
        id: 'vigil.E003',
        severity: 'error',
        message:
          last === null
            ? 'No worker has ever run: checks will not go down and no alert will be sent.'
            : `No worker heartbeat since ${new Date(last).toISOString()}: checks will not go down and no alert will be sent.`,
        hint: 'Run `vigil serve` (web and worker in one process) or `vigil serve --role worker` next to the web processes.',
      })
    }
    out.push(...(await outageFindings(ctx, now)))
  }
  if (options.network)
    out.push(
      ...(await runNetworkChecks(ctx)),
      ...(await oidcNetworkFindings(ctx)),
      ...(await objectStoreNetworkFindings(ctx)),
    )
  if (pending.length === 0) out.push(...(await stateFindings(ctx)))
  return out
}

/** Outages within this long before now are reported. */
const OUTAGE_REPORT_MS = 7 * 86_400_000

/** WORKER-001: the worker (or the database) was down recently; deadlines in the gap were re-armed. */
async function outageFindings(ctx: Ctx, now: number): Promise<Finding[]> {
  const last = await ctx.db.kysely
    .selectFrom('worker_outages')
    .selectAll()
    .where('ended', '>=', now - OUTAGE_REPORT_MS)
    .orderBy('started', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!last) return []
  const minutes = Math.max(1, Math.round((last.ended - last.started) / 60_000))
  return [
    {
      id: 'WORKER-001',
      severity: 'info',
      message: `No worker ran from ${new Date(last.started).toISOString()} to ${new Date(last.ended).toISOString()} (about ${minutes} min); ${last.checks_rearmed} check(s) whose deadline passed meanwhile got their grace again.`,
      hint: 'Nothing to do if the outage is explained; see /admin/system for earlier ones.',
    },
  ]
}

/** OIDC-002 (`--network`): the provider's discovery document can be fetched and used. */
async function oidcNetworkFindings(ctx: Ctx): Promise<Finding[]> {
  const oidc = ctx.config.accounts.oidc
  if (!oidc) return []
  const problem = await probeProvider(oidc)
  if (problem === null) return []
  return [
    {
      id: 'OIDC-002',
      severity: 'error',
      message: `The OIDC provider ${oidc.issuer} cannot be used: ${problem}. "Log in with ${oidc.buttonLabel}" tells users the provider could not be reached.`,
      hint: 'Check OIDC_ISSUER (its /.well-known/openid-configuration must answer within OIDC_TIMEOUT and name the same issuer) and that the provider is reachable from here.',
    },
  ]
}

/** Findings that read the database: mail circuit, keys that cannot work, nobody able to log in. */
async function stateFindings(ctx: Ctx): Promise<Finding[]> {
  const out: Finding[] = []
  const k = ctx.db.kysely
  const now = ctx.clock.now()
  for (const f of [
    await secretFingerprintFinding(ctx, now),
    await clockOffsetFinding(ctx, now),
    await setupCodeFinding(ctx),
  ])
    if (f) out.push(f)
  out.push(...(await requestSampleFindings(ctx)))
  out.push(...(await waitingBodiesFindings(ctx)))
  if ((await mailStatus(ctx)) === 'degraded') {
    out.push({
      id: 'MAIL-010',
      severity: 'error',
      message:
        'Outgoing email is degraded: the last SMTP probe or the last 3 sends failed. Emailed codes and sign-in links are not offered.',
      hint: 'Look at the failed rows of the mail outbox, fix the SMTP settings, then run `vigil doctor --network`.',
    })
  }
  const rpId = ctx.config.accounts.webauthnRpId
  const keyUsers = await k
    .selectFrom('webauthn_credentials')
    .select((eb) => [
      eb.fn.count<number>('user_id').distinct().as('users'),
      eb.fn.sum<number>(eb.case().when('rp_id', '!=', rpId).then(1).else(0).end()).as('foreign'),
    ])
    .executeTakeFirstOrThrow()
  if (Number(keyUsers.users) > 0 && !webauthnCapability(ctx.config).enabled) {
    out.push({
      id: 'WEBAUTHN-004',
      severity: 'error',
      message: `${keyUsers.users} user(s) have security keys, but keys are disabled on this server: they must use TOTP or recovery codes.`,
      hint: 'Fix the WebAuthn settings (see the WEBAUTHN-00x finding above).',
    })
  }
  if (Number(keyUsers.foreign ?? 0) > 0) {
    out.push({
      id: 'WEBAUTHN-005',
      severity: 'warning',
      message: `${keyUsers.foreign} security key(s) were registered for another RP ID than ${rpId}: they cannot be used here.`,
      hint: 'Keep WEBAUTHN_RP_ID at the old domain, or ask those users to register their keys again.',
    })
  }
  if (!ctx.config.smtp) {
    const users = await k
      .selectFrom('users')
      .select((eb) => [
        eb.fn.countAll<number>().as('all'),
        eb.fn.count<number>('password_hash').as('withPassword'),
      ])
      .executeTakeFirstOrThrow()
    // WA-7: with passkey sign-in working, a user with a passkey for this RP ID can log in too.
    const passkeyUsers = passkeyLoginCapability(ctx.config).enabled
      ? await k
          .selectFrom('webauthn_credentials')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('passkey', '=', 1)
          .where('rp_id', '=', rpId)
          .executeTakeFirstOrThrow()
      : { n: 0 }
    // Users with an identity at the configured provider can log in there (LG-9).
    const oidc = ctx.config.accounts.oidc
    const withOidc = oidc
      ? await k
          .selectFrom('oidc_identities')
          .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
          .where('issuer', 'in', issuerVariants(oidc.issuer))
          .executeTakeFirstOrThrow()
      : { n: 0 }
    // A fresh instance (no users) has the first-run page instead.
    if (
      Number(users.all) > 0 &&
      Number(users.withPassword) === 0 &&
      Number(withOidc.n) === 0 &&
      Number(passkeyUsers.n) === 0
    ) {
      out.push({
        id: 'ACC-001',
        severity: 'error',
        message:
          'Nobody can log in: no user has a password or an OIDC identity, and email is not configured.',
        hint: 'Run `vigil user create --email you@example.com --superuser` (or `vigil user set-password`).',
      })
    }
  }
  return out
}

const LABELS: Record<Severity, string> = {
  fatal: 'FATAL',
  error: 'ERROR',
  warning: 'WARN ',
  info: 'INFO ',
  ok: 'OK   ',
}

export function formatFinding(f: Finding): string {
  const id = f.legacyId ? `${f.id} (${f.legacyId})` : f.id
  return `${LABELS[f.severity]} ${id} ${f.message}${f.hint ? ` Fix: ${f.hint}` : ''}`
}
