/**
 * Table types for Kysely, shared by SQLite and PostgreSQL.
 * Conventions that keep one set of queries valid on both databases:
 * - instants are integers of milliseconds since the Unix epoch (UTC), never SQL timestamps;
 * - booleans are integers 0/1;
 * - UUIDs are lowercase canonical text;
 * - `timeout` and `grace` are whole seconds (as the API speaks them), other durations are ms.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** Epoch milliseconds. */
export type Millis = number
/** 0 or 1. */
export type Flag = number

/** Stored status of a check (display status adds `grace` and `started`, see checks/status). */
export type StoredStatus = 'new' | 'up' | 'down' | 'paused'
export type ScheduleKind = 'simple' | 'cron' | 'oncalendar'
/** `progress` is a Vigil extension (a pending run's deadline moved on). */
export type PingKind = 'success' | 'start' | 'fail' | 'log' | 'ign' | 'progress'

export interface UsersTable {
  id: Generated<number>
  email: string
  /** argon2id PHC string, or null when the account has no password. */
  password_hash: string | null
  is_superuser: ColumnType<Flag, Flag | undefined, Flag>
  /** IANA zone used to show times to this user. */
  tz: ColumnType<string, string | undefined, string>
  created: Millis
  /** Random WebAuthn user handle (base64url), made when the first key is added. */
  webauthn_user_id: ColumnType<string | null, string | null | undefined, string | null>
  /** 0 after an e-mail change that could not be verified (no mail on this server). */
  email_verified: ColumnType<Flag, Flag | undefined, Flag>
  /** Seconds between "still down" reminders; 0 = off (migration 0006). */
  nag_period: ColumnType<number, number | undefined, number>
  next_nag_date: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** off | daily | weekly | monthly. */
  reports: ColumnType<ReportPeriod, ReportPeriod | undefined, ReportPeriod>
  next_report_date: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** Monthly SMS + WhatsApp quota, used this month, last send (Healthchecks' Profile). */
  sms_limit: ColumnType<number, number | undefined, number>
  sms_sent: ColumnType<number, number | undefined, number>
  last_sms_date: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** Monthly phone-call quota. */
  call_limit: ColumnType<number, number | undefined, number>
  calls_sent: ColumnType<number, number | undefined, number>
  last_call_date: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** Phone for texted confirmation codes, E.164 (migration 0009); null = none. */
  phone: ColumnType<string | null, string | null | undefined, string | null>
  /** When a texted code proved the phone; null = not verified, never used. */
  phone_verified_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
}

export type ReportPeriod = 'off' | 'daily' | 'weekly' | 'monthly'

export interface SessionsTable {
  /** SHA-256 hex of the session token; the token itself lives only in the cookie. */
  id: string
  user_id: number
  created: Millis
  last_seen: Millis
  expires: Millis
  /** Sudo grant: when the user last proved who they are on this session (RA-2). */
  reauth_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** How: password, totp, recovery_code, webauthn, email_code, sms_code. */
  reauth_method: ColumnType<string | null, string | null | undefined, string | null>
  /** Methods used at log-in, comma-separated (e.g. `password,totp`). */
  amr: ColumnType<string, string | undefined, string>
  ip: ColumnType<string, string | undefined, string>
  user_agent: ColumnType<string, string | undefined, string>
  /** A TOTP secret being enrolled, encrypted (secret-box), and since when. */
  totp_pending: ColumnType<string | null, string | null | undefined, string | null>
  totp_pending_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** HMAC of an e-mailed re-authentication code, when it was sent, wrong entries so far. */
  oob_code_hash: ColumnType<string | null, string | null | undefined, string | null>
  oob_code_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  oob_failures: ColumnType<number, number | undefined, number>
}

export interface ProjectsTable {
  id: Generated<number>
  code: string
  name: string
  owner_id: number
  /** Unused since migration 0008 (keys live in api_keys); always null. */
  api_key_hash: string | null
  /** Unused since migration 0008; always null. */
  api_key_readonly_hash: string | null
  /** Public key of slug ping URLs; null turns slug pinging off. */
  ping_key: string | null
  badge_key: string
  show_slugs: ColumnType<Flag, Flag | undefined, Flag>
  /** How many recent pings per check are kept and shown (Healthchecks' ping_log_limit). */
  ping_log_limit: ColumnType<number, number | undefined, number>
  /** Checks the owner may create (Healthchecks' check_limit; 10000 without payments). */
  check_limit: ColumnType<number, number | undefined, number>
  created: Millis
  /** 1: members need a second factor on this project's web pages (TEAM-3, migration 0007). */
  require_2fa: ColumnType<Flag, Flag | undefined, Flag>
  /** JSON array of the project's maintenance windows (checks/maintenance.ts, migration 0017). */
  maintenance: ColumnType<string, string | undefined, string>
}

export interface ChecksTable {
  id: Generated<number>
  code: string
  project_id: number
  name: ColumnType<string, string | undefined, string>
  slug: ColumnType<string, string | undefined, string>
  tags: ColumnType<string, string | undefined, string>
  desc: ColumnType<string, string | undefined, string>
  created: Millis
  kind: ColumnType<ScheduleKind, ScheduleKind | undefined, ScheduleKind>
  /** Period of a simple check, seconds. */
  timeout: ColumnType<number, number | undefined, number>
  /** Grace time, seconds. */
  grace: ColumnType<number, number | undefined, number>
  schedule: ColumnType<string, string | undefined, string>
  tz: ColumnType<string, string | undefined, string>
  filter_subject: ColumnType<Flag, Flag | undefined, Flag>
  filter_body: ColumnType<Flag, Flag | undefined, Flag>
  filter_http_body: ColumnType<Flag, Flag | undefined, Flag>
  filter_default_fail: ColumnType<Flag, Flag | undefined, Flag>
  start_kw: ColumnType<string, string | undefined, string>
  success_kw: ColumnType<string, string | undefined, string>
  failure_kw: ColumnType<string, string | undefined, string>
  /** '' or 'POST'. */
  methods: ColumnType<string, string | undefined, string>
  manual_resume: ColumnType<Flag, Flag | undefined, Flag>
  badge_key: string
  n_pings: ColumnType<number, number | undefined, number>
  last_ping: Millis | null
  last_start: Millis | null
  last_start_rid: string | null
  last_duration_ms: number | null
  has_confirmation_link: ColumnType<Flag, Flag | undefined, Flag>
  /** When the worker must re-evaluate this check; null = never (see checks/status goingDownAfter). */
  alert_after: Millis | null
  status: ColumnType<StoredStatus, StoredStatus | undefined, StoredStatus>
  /** Flapping protection: consecutive failures before a failure-caused down alert (1 = at once). */
  alert_failures: ColumnType<number, number | undefined, number>
  /** Flapping protection: seconds a check must stay down before the alert (0 = at once). */
  alert_delay: ColumnType<number, number | undefined, number>
  /** Vigil: seconds a started run may take (null = grace bounds it, as in Healthchecks). */
  max_runtime: ColumnType<number | null, number | null | undefined, number | null>
  /** Vigil: seconds a start→success run must at least take (null = no lower bound). */
  min_runtime: ColumnType<number | null, number | null | undefined, number | null>
  /** Vigil: the last progress ping of the pending run (ms epoch), or null. */
  last_progress: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** Run insight (migration 0021, src/insight/): warn about unusual run durations. */
  insight_duration: ColumnType<Flag, Flag | undefined, Flag>
  /** > 0: warn about a ping source not seen in this many days. */
  insight_new_source_days: ColumnType<number, number | undefined, number>
  /** 'address' | 'network' (/24 IPv4, /64 IPv6). */
  insight_source_scope: ColumnType<string, string | undefined, string>
  insight_two_sources: ColumnType<Flag, Flag | undefined, Flag>
  insight_too_often: ColumnType<Flag, Flag | undefined, Flag>
  /** 1 when any insight warning is on (the worker's indexed subset). */
  insight_on: ColumnType<Flag, Flag | undefined, Flag>
  /** The worker has looked at this check's pings up to this number. */
  insight_n: ColumnType<number, number | undefined, number>
  /** What the worker learned, JSON (src/insight/detect-insights.ts InsightState). */
  insight_state: ColumnType<string, string | undefined, string>
  /** Snoozed (no alerts) until then; null or past = not snoozed (migration 0017). */
  snoozed_until: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  snooze_reason: ColumnType<string, string | undefined, string>
  /** JSON array of maintenance windows {schedule, duration, tz} (checks/maintenance.ts). */
  maintenance: ColumnType<string, string | undefined, string>
  /** Failure threshold: runs looked at (0 = off) and failures among them that alert (0018). */
  fail_window: ColumnType<number, number | undefined, number>
  fail_threshold: ColumnType<number, number | undefined, number>
  /** Successes in a row before an up alert (1 = at once). */
  recover_successes: ColumnType<number, number | undefined, number>
  /** Warning stage: seconds before the grace time ends (null = none). */
  warn_after: ColumnType<number | null, number | null | undefined, number | null>
  /** When the worker sends the "late" warning (alerts/late-warnings.ts); null = none due. */
  warn_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
}

export interface PingsTable {
  id: Generated<number>
  check_id: number
  /** 1-based sequence number within the check. */
  n: number
  created: Millis
  kind: PingKind
  scheme: string
  remote_addr: string | null
  method: string
  ua: string
  body: Buffer | null
  exitstatus: number | null
  rid: string | null
  /** > 0: the body is in object storage (objects/) and has this many bytes (Healthchecks' column). */
  object_size: ColumnType<number | null, number | null | undefined, number | null>
  /** The body's object key; null with object_size set = Healthchecks' `<check uuid>/<enc(n)>`. */
  object_key: ColumnType<string | null, string | null | undefined, string | null>
  /** 1 while a body meant for object storage waits in `body` (the store was down); else null. */
  body_waiting: ColumnType<number | null, number | null | undefined, number | null>
}

export interface FlipsTable {
  id: Generated<number>
  check_id: number
  created: Millis
  /** null until the worker has queued its notifications. */
  processed: Millis | null
  old_status: StoredStatus
  new_status: StoredStatus
  /** '' | 'timeout' | 'fail', and Vigil's 'runtime' | 'no_start' | 'too_fast' (checks/run-time.ts) */
  reason: string
  /** A down flip held back by flapping protection is looked at again then (null = due). */
  recheck_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** 1 = processed without notifications by flapping protection. */
  suppressed: ColumnType<Flag, Flag | undefined, Flag>
  /** Why an alert gate held this flip back or suppressed it ('' = not held). */
  held_reason: ColumnType<string, string | undefined, string>
}

/** One snooze of a check (migration 0017): its history on the details page. */
export interface SnoozesTable {
  id: Generated<number>
  check_id: number
  created: Millis
  until: Millis
  reason: ColumnType<string, string | undefined, string>
  /** 'api' | 'web' | 'ping' */
  source: string
  /** When it was ended early; null = ran to `until` (or still running). */
  ended: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
}

/** A notice about a check that is not a status change (src/alerts/warnings.ts). */
export interface WarningsTable {
  id: Generated<number>
  check_id: number
  created: Millis
  /** 'late' | 'unusual_duration' | 'new_source' | 'two_sources' | 'too_often' | … */
  kind: string
  /** Human text, e.g. "ran 41 min; usually 3–5 min". */
  detail: ColumnType<string, string | undefined, string>
  /** null until the worker has queued its notifications. */
  processed: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
}

export interface ChannelsTable {
  id: Generated<number>
  code: string
  project_id: number
  name: ColumnType<string, string | undefined, string>
  kind: string
  /** Kind-specific configuration as JSON text. */
  value: string
  email_verified: ColumnType<Flag, Flag | undefined, Flag>
  disabled: ColumnType<Flag, Flag | undefined, Flag>
  created: Millis
  last_notify: Millis | null
  last_notify_duration_ms: number | null
  last_error: ColumnType<string, string | undefined, string>
  /** Repeat the down notification every this many seconds while down (0 = never; alerts/repeat-rule.ts). */
  repeat_every: ColumnType<number, number | undefined, number>
  /** At most this many repeats of one down notification. */
  repeat_max: ColumnType<number, number | undefined, number>
  /** 1: also send warnings (late, unusual duration, …) to this channel (0018). */
  notify_late: ColumnType<Flag, Flag | undefined, Flag>
}

export interface CheckChannelsTable {
  check_id: number
  channel_id: number
}

/** Check `check_id` depends on check `depends_on_id` (its parent), same project (issue 14). */
export interface CheckDependenciesTable {
  check_id: number
  depends_on_id: number
}

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed'

export interface NotificationsTable {
  id: Generated<number>
  code: string
  /** null for test notifications. */
  check_id: number | null
  channel_id: number
  flip_id: number | null
  /** 'up' | 'down' | 'warning' */
  check_status: string
  created: Millis
  status: ColumnType<NotificationStatus, NotificationStatus | undefined, NotificationStatus>
  error: ColumnType<string, string | undefined, string>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: Millis
  /** Lease: which worker holds it and since when; a stale lease is taken over. */
  claimed_by: string | null
  claimed_at: Millis | null
  sent_at: Millis | null
  /** 0 = the flip's own notification; 1, 2 … = repeats of it (alerts/queue-repeats.ts). */
  repeat_n: ColumnType<number, number | undefined, number>
  /** When the next repeat after this one is due (null = none planned). */
  repeat_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** The code of the notification that carries this one's grouped message (alerts/alert-groups.ts). */
  group_code: ColumnType<string | null, string | null | undefined, string | null>
  /** The warning this notification announces (check_status 'warning'); null otherwise. */
  warning_id: ColumnType<number | null, number | null | undefined, number | null>
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'not-sent'

export interface MailOutboxTable {
  id: Generated<number>
  created: Millis
  to_addr: string
  from_addr: string
  subject: string
  text_body: string
  html_body: string | null
  /** Extra headers as a JSON object. */
  headers: ColumnType<string, string | undefined, string>
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>
  error: ColumnType<string, string | undefined, string>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: Millis
  claimed_by: string | null
  claimed_at: Millis | null
  sent_at: Millis | null
  /** The alert this mail delivers, if any: its status follows the mail's. */
  notification_id: number | null
  /** 1: the recipient's address is not proven, so the outcome does not move MAIL-1 (0012). */
  unverified_recipient: ColumnType<number, number | undefined, number>
}

export interface WorkerHeartbeatsTable {
  /** Unique per process: hostname:pid:random. */
  worker_id: string
  role: string
  started: Millis
  last_seen: Millis
}

/** A gap in every worker's heartbeat, recorded by the worker that noticed it (alerts/outage.ts). */
export interface WorkerOutagesTable {
  id: Generated<number>
  /** The last heartbeat before the gap. */
  started: Millis
  /** When a worker noticed it was running again. */
  ended: Millis
  detected_by: string
  /** Checks whose deadline fell in the gap and were given their grace again. */
  checks_rearmed: number
}

export interface LoginAttemptsTable {
  /** SHA-256 hex of the throttle key (e.g. `email-ip:<email>|<ip>`), so no address is stored. */
  key: string
  /** Attempts counted in the current window (successful log-ins are refunded). */
  failures: number
  /** End of the current window. */
  expires: Millis
}

export interface TokenBucketsTable {
  /** The bucket's key, e.g. `tg-<chat id>` or `po-<sha1 of user key and secret>`. */
  value: string
  /** Tokens left, 0..1 (a request costs 1/capacity). */
  tokens: number
  /** When `tokens` was last computed. */
  updated: Millis
}

export interface UserTotpTable {
  user_id: number
  /** The base32 secret, encrypted (accounts/secret-box). */
  secret: string
  /** Highest accepted time step: the replay guard (TOTP-4). */
  last_step: number | null
  created: Millis
}

export interface RecoveryCodesTable {
  id: Generated<number>
  user_id: number
  /** argon2id PHC string of the normalised code. */
  code_hash: string
  created: Millis
  used_at: Millis | null
}

export interface WebauthnCredentialsTable {
  id: Generated<number>
  user_id: number
  /** base64url */
  credential_id: string
  /** COSE public key, base64url. */
  public_key: string
  sign_count: ColumnType<number, number | undefined, number>
  /** Comma-separated transports the authenticator reported. */
  transports: ColumnType<string, string | undefined, string>
  aaguid: ColumnType<string, string | undefined, string>
  backup_eligible: ColumnType<Flag, Flag | undefined, Flag>
  backup_state: ColumnType<Flag, Flag | undefined, Flag>
  rp_id: string
  name: string
  created: Millis
  last_used_at: Millis | null
  /**
   * 1: registered as a passkey (WA-7: discoverable, user verification at registration); may sign
   * in without a password while PASSKEY_LOGIN is on. 0: a second factor only (migration 0011).
   */
  passkey: ColumnType<Flag, Flag | undefined, Flag>
}

export interface WebauthnChallengesTable {
  /** Purpose and holder, e.g. `register:session:<id>`, `login:pending:<id>` (webauthn-challenges.ts). */
  key: string
  challenge: string
  expires: Millis
}

export interface PendingLoginsTable {
  /** SHA-256 hex of the token in the `vigil_pending` cookie. */
  id: string
  user_id: number
  /** The address when the password was accepted; a change invalidates the step (LG-3). */
  email_snapshot: string
  first_factor: string
  created: Millis
  expires: Millis
}

export interface EmailChangesTable {
  /** SHA-256 hex of the token in the link mailed to the new address. */
  id: string
  user_id: number
  new_email: string
  created: Millis
  expires: Millis
}

export interface LoginLinksTable {
  /** SHA-256 hex of the token in the link `vigil user login-link` printed. */
  id: string
  user_id: number
  created: Millis
  expires: Millis
}

/** A one-time sign-up link from an invitation of a new address (migration 0012, issue #11 F1). */
export interface InvitationSignupsTable {
  /** SHA-256 hex of the link's token. */
  id: string
  /** The address the new account gets; the link never opens an existing account. */
  email: string
  project_id: number
  role: MemberRole
  invited_by: number | null
  /** 1: mailed to the address (redeeming it proves the address); 0: handed over by the inviter. */
  mailed: ColumnType<number, number | undefined, number>
  created: Millis
  expires: Millis
}

export interface SecurityEventsTable {
  id: Generated<number>
  ts: Millis
  actor_user_id: number | null
  subject_user_id: number | null
  project_id: number | null
  /** e.g. `login.success`, `totp.enabled` (spec AU-2). */
  type: string
  ip: ColumnType<string, string | undefined, string>
  ua_summary: ColumnType<string, string | undefined, string>
  /** First 8 hex characters of the session id. */
  session_ref: ColumnType<string, string | undefined, string>
  /** JSON object; never secrets. */
  details: ColumnType<string, string | undefined, string>
}

/** Project roles besides the owner, as Healthchecks' Member.role: member, read-only, manager. */
export type MemberRole = 'w' | 'r' | 'm'

export interface MembersTable {
  id: Generated<number>
  project_id: number
  user_id: number
  role: ColumnType<MemberRole, MemberRole | undefined, MemberRole>
  created: Millis
  invited_by: number | null
  /** When the owner asked this member to take the project over (TEAM-4); null = none. */
  transfer_requested: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
}

/** A project's API key (AK-1/AK-2, migration 0008); one per kind per project. */
export interface ApiKeysTable {
  id: Generated<number>
  project_id: number
  /** 1: read-only (`hcr_`), 0: read-write (`hcw_`). */
  readonly: Flag
  /** The key's 8 secret characters (after the prefix), or a legacy key's SHA-256 hex. */
  lookup: string
  /** `<8 chars>.<HMAC-SHA256 hex>` as Healthchecks, or a legacy key's SHA-256 hex. */
  stored: string
  created_by: number | null
  created_at: Millis
  /** Updated at most once an hour. */
  last_used_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
  /** Past it the key answers 401; null = never. */
  expires_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
}

/** A provider identity a user logs in with (LG-9, migration 0010); unique per (issuer, subject). */
export interface OidcIdentitiesTable {
  id: Generated<number>
  user_id: number
  /** The ID token's `iss`. */
  issuer: string
  /** The ID token's `sub`: with `issuer`, the identity (ASVS 6.8.1). */
  subject: string
  /** The provider's address for the user when linked; informational only. */
  email: ColumnType<string, string | undefined, string>
  created: Millis
  last_login: ColumnType<Millis | null, Millis | null | undefined, Millis | null>
}

/** An OIDC authorisation request in flight (LG-9): single-use, 10 minutes. */
export interface OidcFlowsTable {
  /** SHA-256 hex of the `state` value (the browser keeps it in the `vigil_oidc` cookie). */
  id: string
  purpose: 'login' | 'reauth'
  /** For `reauth`: the user and session (id digest) that asked. */
  user_id: number | null
  session_id: string | null
  /** 1: a re-authentication for a class D action (RA-5). */
  downgrade: ColumnType<Flag, Flag | undefined, Flag>
  nonce: string
  /** PKCE code_verifier, sealed with the secret box. */
  code_verifier: string
  /** Local path to open afterwards, or ''. */
  next: ColumnType<string, string | undefined, string>
  created: Millis
  expires: Millis
}

export interface SystemStatusTable {
  /** e.g. `mail.probe`. */
  key: string
  /** JSON. */
  value: string
  updated: Millis
}

/** A public status page (migration 0022, src/status-pages/). */
export interface StatusPagesTable {
  id: Generated<number>
  /** UUID naming the page in management URLs. */
  code: string
  project_id: number
  /** Unique on the instance: the public URL is /status/<slug>. */
  slug: string
  title: string
  description: ColumnType<string, string | undefined, string>
  /** Space-separated tags whose checks the page lists too. */
  tags: ColumnType<string, string | undefined, string>
  /** SHA-256 hex of a private page's access token; null = public. */
  token_hash: ColumnType<string | null, string | null | undefined, string | null>
  created: Millis
  updated: Millis
}

export interface StatusPageChecksTable {
  page_id: number
  check_id: number
  public_name: string
  position: number
}

export interface StatusPageNotesTable {
  id: Generated<number>
  page_id: number
  title: string
  created: Millis
  created_by: number | null
}

export interface StatusPageNoteUpdatesTable {
  id: Generated<number>
  note_id: number
  /** investigating | identified | monitoring | resolved */
  state: string
  body: string
  created: Millis
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  projects: ProjectsTable
  checks: ChecksTable
  pings: PingsTable
  flips: FlipsTable
  warnings: WarningsTable
  snoozes: SnoozesTable
  channels: ChannelsTable
  check_channels: CheckChannelsTable
  check_dependencies: CheckDependenciesTable
  notifications: NotificationsTable
  mail_outbox: MailOutboxTable
  worker_heartbeats: WorkerHeartbeatsTable
  worker_outages: WorkerOutagesTable
  login_attempts: LoginAttemptsTable
  token_buckets: TokenBucketsTable
  user_totp: UserTotpTable
  recovery_codes: RecoveryCodesTable
  webauthn_credentials: WebauthnCredentialsTable
  webauthn_challenges: WebauthnChallengesTable
  pending_logins: PendingLoginsTable
  email_changes: EmailChangesTable
  login_links: LoginLinksTable
  invitation_signups: InvitationSignupsTable
  security_events: SecurityEventsTable
  members: MembersTable
  system_status: SystemStatusTable
  api_keys: ApiKeysTable
  oidc_identities: OidcIdentitiesTable
  oidc_flows: OidcFlowsTable
  status_pages: StatusPagesTable
  status_page_checks: StatusPageChecksTable
  status_page_notes: StatusPageNotesTable
  status_page_note_updates: StatusPageNoteUpdatesTable
}

export type User = Selectable<UsersTable>
export type Project = Selectable<ProjectsTable>
export type Check = Selectable<ChecksTable>
export type NewCheck = Insertable<ChecksTable>
export type CheckUpdate = Updateable<ChecksTable>
export type Ping = Selectable<PingsTable>
export type Flip = Selectable<FlipsTable>
export type Warning = Selectable<WarningsTable>
export type Snooze = Selectable<SnoozesTable>
export type WorkerOutage = Selectable<WorkerOutagesTable>
export type Channel = Selectable<ChannelsTable>
export type Notification = Selectable<NotificationsTable>
export type OutboxMail = Selectable<MailOutboxTable>
export type SecurityEvent = Selectable<SecurityEventsTable>
export type WebauthnCredential = Selectable<WebauthnCredentialsTable>
export type Member = Selectable<MembersTable>
export type ApiKey = Selectable<ApiKeysTable>
export type OidcIdentity = Selectable<OidcIdentitiesTable>
export type StatusPage = Selectable<StatusPagesTable>
