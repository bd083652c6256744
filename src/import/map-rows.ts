/**
 * Pure mapping of Healthchecks rows (any version from v2 to v4, as the source returns them) to
 * the rows Vigil stores. No database, no clock, no randomness: what varies is passed in. The
 * Healthchecks side: Django stores UUIDs as 32 hex digits on SQLite and as `uuid` on PostgreSQL,
 * datetimes as naive UTC text on SQLite and `timestamptz` on PostgreSQL, DurationField as
 * microseconds (intervals on PostgreSQL, converted by the source), booleans as 0/1 or true/false.
 */
import type { Insertable } from 'kysely'
import { warnAtFor } from '../checks/index.js'
import type {
  ChannelsTable,
  FlipsTable,
  MemberRole,
  NewCheck,
  PingKind,
  PingsTable,
  ProjectsTable,
  ReportPeriod,
  ScheduleKind,
  StoredStatus,
  UsersTable,
} from '../db/index.js'
import type { HcRow } from './hc-source.js'

type Insert<T> = Omit<Insertable<T>, 'id'>

/** Epoch ms of a Django datetime (SQLite text in UTC, or a Date from PostgreSQL); null stays null. */
export function toMillis(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null
  if (v instanceof Date) return v.getTime()
  if (typeof v === 'number') return v
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(String(v))
  if (!m) return null
  const ms = (m[3] ?? '').padEnd(3, '0').slice(0, 3)
  const zone = m[4] ?? 'Z'
  const t = Date.parse(`${m[1]}T${m[2]}.${ms}${zone}`)
  return Number.isNaN(t) ? null : t
}

/** A UUID in canonical lowercase form (Django's SQLite form has no dashes); '' for none. */
export function toUuid(v: unknown): string {
  if (v === null || v === undefined) return ''
  const hex = String(v).replace(/-/g, '').toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(hex)) return ''
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function toFlag(v: unknown): number {
  return v === true || v === 1 || v === '1' || v === 't' || v === 'true' ? 1 : 0
}

function str(v: unknown, fallback = ''): string {
  return v === null || v === undefined ? fallback : String(v)
}

function num(v: unknown, fallback: number): number {
  const n = typeof v === 'number' ? v : Number(v)
  return v === null || v === undefined || Number.isNaN(n) ? fallback : n
}

/** A DurationField (microseconds) as whole seconds; null stays null. */
export function durationSeconds(v: unknown): number | null {
  if (v === null || v === undefined) return null
  return Math.round(num(v, 0) / 1e6)
}

/** A DurationField (microseconds) as milliseconds; null stays null. */
export function durationMillis(v: unknown): number | null {
  if (v === null || v === undefined) return null
  return Math.round(num(v, 0) / 1e3)
}

// ---- users ------------------------------------------------------------------------------------

export interface MappedUser {
  hcId: number
  user: Insert<UsersTable> & { email: string }
  /** Plain base32 secret from Profile.totp, to seal with Vigil's secret box. */
  totp: { secret: string; created: number } | null
  /** Django's is_active was false: imported without a password (Vigil has no such flag). */
  inactive: boolean
  /** The owner's limits, which Vigil keeps per project. */
  pingLogLimit: number
  checkLimit: number
}

const REPORTS: ReadonlySet<string> = new Set(['off', 'daily', 'weekly', 'monthly'])

/** Django passwords Vigil verifies; an unusable one (`!…`, '') becomes "no password". */
export function importablePasswordHash(password: unknown): string | null {
  const p = str(password)
  if (p === '' || p.startsWith('!')) return null
  return p
}

function reportsOf(profile: HcRow | undefined): ReportPeriod {
  if (!profile) return 'off'
  if (profile.reports !== undefined) {
    const r = str(profile.reports, 'off')
    return (REPORTS.has(r) ? r : 'off') as ReportPeriod
  }
  // Before Healthchecks v1.20 a boolean `reports_allowed` meant monthly reports.
  return toFlag(profile.reports_allowed) ? 'monthly' : 'off'
}

export function mapUser(
  user: HcRow,
  profile: HcRow | undefined,
  normalizeEmail: (e: string) => string,
): MappedUser | { skip: string } {
  const email = normalizeEmail(str(user.email))
  if (!email.includes('@')) return { skip: 'no email address (Vigil logs in by email)' }
  const created = toMillis(user.date_joined) ?? 0
  const p = profile ?? {}
  const totpSecret = str(p.totp)
  const inactive =
    user.is_active !== undefined && user.is_active !== null && !toFlag(user.is_active)
  return {
    hcId: num(user.id, 0),
    user: {
      email,
      password_hash: inactive ? null : importablePasswordHash(user.password),
      is_superuser: toFlag(user.is_superuser),
      tz: str(p.tz, 'UTC') || 'UTC',
      created,
      email_verified: 1,
      nag_period: durationSeconds(p.nag_period) ?? 0,
      next_nag_date: toMillis(p.next_nag_date),
      reports: reportsOf(profile),
      next_report_date: toMillis(p.next_report_date),
      sms_limit: num(p.sms_limit, 5),
      sms_sent: num(p.sms_sent, 0),
      last_sms_date: toMillis(p.last_sms_date),
      call_limit: num(p.call_limit, 0),
      calls_sent: num(p.calls_sent, 0),
      last_call_date: toMillis(p.last_call_date),
    } as MappedUser['user'],
    totp: totpSecret ? { secret: totpSecret, created: toMillis(p.totp_created) ?? created } : null,
    inactive,
    pingLogLimit: num(p.ping_log_limit, 100),
    checkLimit: num(p.check_limit, 10000),
  }
}

// ---- WebAuthn -----------------------------------------------------------------------------------

export interface MappedCredential {
  credentialId: string
  publicKey: string
  aaguid: string
}

/**
 * Healthchecks' Credential.data is fido2's AttestedCredentialData: AAGUID (16 bytes), the
 * credential id's length (2 bytes, big-endian), the id, then the COSE public key (a CBOR map).
 * null when the bytes are not in that shape.
 */
export function parseAttestedCredential(data: unknown): MappedCredential | null {
  const b = Buffer.isBuffer(data)
    ? data
    : data instanceof Uint8Array
      ? Buffer.from(data)
      : typeof data === 'string' && /^[0-9a-f]*$/i.test(data) && data.length % 2 === 0
        ? Buffer.from(data, 'hex')
        : null
  if (!b || b.length < 19) return null
  const idLength = b.readUInt16BE(16)
  const key = b.subarray(18 + idLength)
  if (idLength === 0 || key.length === 0) return null
  // A CBOR map (major type 5) of 1–23 entries: every COSE key Healthchecks can have stored.
  if (key[0] < 0xa1 || key[0] > 0xb7) return null
  return {
    credentialId: b.subarray(18, 18 + idLength).toString('base64url'),
    publicKey: key.toString('base64url'),
    aaguid: toUuid(b.subarray(0, 16).toString('hex')),
  }
}

// ---- projects ---------------------------------------------------------------------------------

export interface MappedApiKey {
  readonly: 0 | 1
  lookup: string
  stored: string
}

const HASHED_STORED_RE = /^[A-Za-z0-9]{8}\.[0-9a-f]{64}$/

/**
 * A stored Healthchecks API key as Vigil's api_keys row: a v3+ hashed key (`<8 chars>.<hex
 * HMAC>`) is kept as it is (Vigil compares it the same way, keyed by API_KEY_HMAC_KEY); a plain
 * key of older versions goes through `storedFormOf`, as Vigil stores a key given to it. null for
 * a blank key.
 */
export function mapApiKey(
  value: unknown,
  readonly: boolean,
  storedFormOf: (key: string) => { stored: string; lookup: string },
): MappedApiKey | null {
  const v = str(value).trim()
  if (v === '') return null
  if (HASHED_STORED_RE.test(v))
    return { readonly: readonly ? 1 : 0, lookup: v.slice(0, 8), stored: v }
  return { readonly: readonly ? 1 : 0, ...storedFormOf(v) }
}

export type ProjectInsert = Omit<Insert<ProjectsTable>, 'owner_id'>

export function mapProject(
  project: HcRow,
  owner: { pingLogLimit: number; checkLimit: number; created: number },
): ProjectInsert | { skip: string } {
  const code = toUuid(project.code)
  if (!code) return { skip: 'no valid code' }
  const pingKey = str(project.ping_key).trim()
  return {
    code,
    name: str(project.name),
    api_key_hash: null,
    api_key_readonly_hash: null,
    ping_key: pingKey === '' ? null : pingKey,
    badge_key: str(project.badge_key) || code,
    show_slugs: toFlag(project.show_slugs),
    ping_log_limit: owner.pingLogLimit,
    check_limit: owner.checkLimit,
    created: owner.created,
  } as ProjectInsert
}

export function mapRole(member: HcRow): MemberRole {
  const r = str(member.role)
  if (r === 'r' || r === 'w' || r === 'm') return r
  // Healthchecks before v1.21 had no roles: every member could write.
  return 'w'
}

// ---- checks -----------------------------------------------------------------------------------

const SCHEDULE_KINDS: ReadonlySet<string> = new Set(['simple', 'cron', 'oncalendar'])
const STATUSES: ReadonlySet<string> = new Set(['new', 'up', 'down', 'paused'])

export type CheckInsert = Omit<NewCheck, 'project_id' | 'badge_key'> & { badge_key: string | null }

export function mapCheck(check: HcRow): CheckInsert | { skip: string } {
  const code = toUuid(check.code)
  if (!code) return { skip: 'no valid code' }
  const kind = str(check.kind, 'simple')
  if (!SCHEDULE_KINDS.has(kind)) return { skip: `schedule kind "${kind}" is unknown to Vigil` }
  const status = str(check.status, 'new')
  const lastDurationMs = durationMillis(check.last_duration)
  const grace = durationSeconds(check.grace) ?? 3600
  const alertAfter = toMillis(check.alert_after)
  return {
    code,
    name: str(check.name),
    slug: str(check.slug),
    tags: str(check.tags),
    desc: str(check.desc),
    created: toMillis(check.created) ?? 0,
    kind: kind as ScheduleKind,
    timeout: durationSeconds(check.timeout) ?? 86400,
    grace,
    schedule: str(check.schedule, '* * * * *'),
    tz: str(check.tz, 'UTC') || 'UTC',
    filter_subject: toFlag(check.filter_subject),
    filter_body: toFlag(check.filter_body),
    filter_http_body: toFlag(check.filter_http_body),
    filter_default_fail: toFlag(check.filter_default_fail),
    start_kw: str(check.start_kw),
    success_kw: str(check.success_kw),
    failure_kw: str(check.failure_kw),
    methods: str(check.methods),
    manual_resume: toFlag(check.manual_resume),
    badge_key: toUuid(check.badge_key) || null,
    n_pings: num(check.n_pings, 0),
    last_ping: toMillis(check.last_ping),
    last_start: toMillis(check.last_start),
    last_start_rid: toUuid(check.last_start_rid) || null,
    last_duration_ms: lastDurationMs === 0 ? null : lastDurationMs,
    has_confirmation_link: toFlag(check.has_confirmation_link),
    alert_after: alertAfter,
    // Healthchecks has no warning stage; warn_at still follows alert_after by Vigil's rule, as
    // every other write of alert_after does (null without warn_after).
    warn_after: null,
    warn_at: warnAtFor({ warn_after: null, grace }, alertAfter),
    status: (STATUSES.has(status) ? status : 'new') as StoredStatus,
  }
}

// ---- pings and flips --------------------------------------------------------------------------

const PING_KINDS: ReadonlySet<string> = new Set(['start', 'fail', 'log', 'ign'])

export type PingInsert = Omit<Insert<PingsTable>, 'check_id'>

/** A ping row; Healthchecks' NULL kind is a success. Old rows keep their body in `body`. */
export function mapPing(ping: HcRow): PingInsert | { skip: string } {
  const n = ping.n === null || ping.n === undefined ? null : num(ping.n, 0)
  if (n === null) return { skip: 'no sequence number' }
  const k = str(ping.kind)
  const kind: PingKind = k === '' ? 'success' : PING_KINDS.has(k) ? (k as PingKind) : 'log'
  let body: Buffer | null = null
  if (ping.body_raw !== null && ping.body_raw !== undefined) {
    body = Buffer.isBuffer(ping.body_raw)
      ? ping.body_raw
      : Buffer.from(ping.body_raw as Uint8Array | string)
  } else if (typeof ping.body === 'string') body = Buffer.from(ping.body, 'utf8')
  if (body && body.length === 0) body = null
  const exit = ping.exitstatus
  return {
    n,
    created: toMillis(ping.created) ?? 0,
    kind,
    scheme: str(ping.scheme, 'http'),
    remote_addr:
      ping.remote_addr === null || ping.remote_addr === undefined
        ? null
        : str(ping.remote_addr).trim(),
    method: str(ping.method),
    ua: str(ping.ua),
    body,
    exitstatus: exit === null || exit === undefined ? null : num(exit, 0),
    rid: toUuid(ping.rid) || null,
  }
}

export type FlipInsert = Omit<Insert<FlipsTable>, 'check_id'>

export function mapFlip(flip: HcRow): FlipInsert | { skip: string } {
  const oldStatus = str(flip.old_status)
  const newStatus = str(flip.new_status)
  if (!STATUSES.has(oldStatus) || !STATUSES.has(newStatus))
    return { skip: `status "${oldStatus}" → "${newStatus}" is unknown to Vigil` }
  return {
    created: toMillis(flip.created) ?? 0,
    processed: toMillis(flip.processed),
    old_status: oldStatus as StoredStatus,
    new_status: newStatus as StoredStatus,
    reason: str(flip.reason),
  }
}

// ---- channels ---------------------------------------------------------------------------------

export type ChannelInsert = Omit<Insert<ChannelsTable>, 'project_id'>

/**
 * Healthchecks before v1.15 stored a webhook as lines: down URL, up URL, POST body. Vigil reads
 * the JSON form (as Healthchecks has since), so the lines are converted.
 */
export function convertLegacyWebhook(value: string): string {
  if (value.trim().startsWith('{')) return value
  const [urlDown = '', urlUp = '', body = ''] = value.split('\n')
  const method = body ? 'POST' : 'GET'
  return JSON.stringify({
    method_down: method,
    url_down: urlDown.trim(),
    body_down: body,
    headers_down: {},
    method_up: method,
    url_up: urlUp.trim(),
    body_up: body,
    headers_up: {},
  })
}

/** A channel row, or the reason it cannot be imported (a kind Vigil has no module for). */
export function mapChannel(
  channel: HcRow,
  supportedKinds: ReadonlySet<string>,
): ChannelInsert | { skip: string } {
  const code = toUuid(channel.code)
  if (!code) return { skip: 'no valid code' }
  const kind = str(channel.kind)
  if (!supportedKinds.has(kind)) return { skip: `Vigil has no "${kind}" integration` }
  let value = str(channel.value)
  if (kind === 'webhook') value = convertLegacyWebhook(value)
  return {
    code,
    name: str(channel.name),
    kind,
    value,
    email_verified: toFlag(channel.email_verified),
    disabled: toFlag(channel.disabled),
    created: toMillis(channel.created) ?? 0,
    last_notify: toMillis(channel.last_notify),
    last_notify_duration_ms: durationMillis(channel.last_notify_duration),
    last_error: str(channel.last_error),
  } as ChannelInsert
}
