/**
 * A Healthchecks database in the shape of v3–v4, built by the tests (no such fixture exists):
 * the v2.10 tables with the changes of the later migrations applied —
 *   api 0098 channel.last_notify_duration; 0103/0118 check.badge_key (uuid, unique);
 *   0109 ping.body removed (bodies only in body_raw); 0114 flip.reason;
 *   0119 check.filter_http_body and filter_default_fail; accounts 0052 profile.team_limit removed;
 *   and API keys stored hashed (`<8 chars>.<hex HMAC-SHA256>`, hc/accounts/models.py _make_api_key).
 * Columns are as Django creates them on SQLite (UUIDs as 32 hex digits, durations in µs).
 */
import SQLite from 'better-sqlite3'

const TABLES = `
CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);
CREATE TABLE "accounts_profile" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "next_report_date" datetime NULL, "user_id" integer NOT NULL UNIQUE REFERENCES "auth_user" ("id"), "ping_log_limit" integer NOT NULL, "token" varchar(128) NOT NULL, "check_limit" integer NOT NULL, "last_sms_date" datetime NULL, "sms_limit" integer NOT NULL, "sms_sent" integer NOT NULL, "sort" varchar(20) NOT NULL, "nag_period" bigint NOT NULL, "next_nag_date" datetime NULL, "deletion_notice_date" datetime NULL, "last_active_date" datetime NULL, "call_limit" integer NOT NULL, "calls_sent" integer NOT NULL, "last_call_date" datetime NULL, "reports" varchar(10) NOT NULL, "tz" varchar(36) NOT NULL, "theme" varchar(10) NULL, "totp" varchar(32) NULL, "totp_created" datetime NULL, "deletion_scheduled_date" datetime NULL, "over_limit_date" datetime NULL);
CREATE TABLE "accounts_project" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "code" char(32) NOT NULL UNIQUE, "name" varchar(200) NOT NULL, "api_key" varchar(128) NOT NULL, "api_key_readonly" varchar(128) NOT NULL, "owner_id" integer NOT NULL REFERENCES "auth_user" ("id"), "badge_key" varchar(150) NOT NULL UNIQUE, "ping_key" varchar(128) NULL UNIQUE, "show_slugs" bool NOT NULL);
CREATE TABLE "accounts_member" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL, "project_id" integer NOT NULL, "transfer_request_date" datetime NULL, "role" varchar(1) NOT NULL);
CREATE TABLE "accounts_credential" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "code" char(32) NOT NULL UNIQUE, "name" varchar(100) NOT NULL, "created" datetime NOT NULL, "data" BLOB NOT NULL, "user_id" integer NOT NULL);
CREATE TABLE "api_check" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "code" char(32) NOT NULL UNIQUE, "last_ping" datetime NULL, "alert_after" datetime NULL, "status" varchar(6) NOT NULL, "timeout" bigint NOT NULL, "name" varchar(100) NOT NULL, "created" datetime NOT NULL, "grace" bigint NOT NULL, "tags" varchar(500) NOT NULL, "n_pings" integer NOT NULL, "kind" varchar(10) NOT NULL, "schedule" varchar(100) NOT NULL, "tz" varchar(36) NOT NULL, "has_confirmation_link" bool NOT NULL, "desc" text NOT NULL, "last_start" datetime NULL, "project_id" integer NOT NULL, "last_duration" bigint NULL, "methods" varchar(30) NOT NULL, "manual_resume" bool NOT NULL, "slug" varchar(100) NOT NULL, "failure_kw" varchar(200) NOT NULL, "filter_body" bool NOT NULL, "filter_subject" bool NOT NULL, "success_kw" varchar(200) NOT NULL, "last_start_rid" char(32) NULL, "start_kw" varchar(200) NOT NULL, "badge_key" char(32) NOT NULL UNIQUE, "filter_http_body" bool NOT NULL, "filter_default_fail" bool NOT NULL);
CREATE TABLE "api_ping" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "remote_addr" char(39) NULL, "method" varchar(10) NOT NULL, "ua" varchar(200) NOT NULL, "owner_id" integer NOT NULL, "scheme" varchar(10) NOT NULL, "n" integer NULL, "kind" varchar(6) NULL, "created" datetime NOT NULL, "exitstatus" smallint NULL, "body_raw" BLOB NULL, "object_size" integer NULL, "rid" char(32) NULL);
CREATE TABLE "api_flip" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "created" datetime NOT NULL, "old_status" varchar(8) NOT NULL, "new_status" varchar(8) NOT NULL, "owner_id" integer NOT NULL, "processed" datetime NULL, "reason" varchar(8) NOT NULL);
CREATE TABLE "api_channel" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "code" char(32) NOT NULL UNIQUE, "kind" varchar(20) NOT NULL, "value" text NOT NULL, "email_verified" bool NOT NULL, "name" varchar(100) NOT NULL, "project_id" integer NOT NULL, "last_error" varchar(200) NOT NULL, "last_notify" datetime NULL, "disabled" bool NOT NULL, "created" datetime NOT NULL, "last_notify_duration" bigint NULL);
CREATE TABLE "api_channel_checks" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "channel_id" integer NOT NULL, "check_id" integer NOT NULL);
CREATE TABLE "api_notification" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "check_status" varchar(6) NOT NULL, "channel_id" integer NOT NULL, "owner_id" integer NULL, "error" varchar(200) NOT NULL, "code" char(32) NOT NULL UNIQUE, "created" datetime NOT NULL);
`

type Values = Record<string, unknown>

/** Creates the file with the newer tables; `insert` then adds rows (missing columns get defaults). */
export function createNewerHealthchecksDb(file: string): {
  insert(table: string, row: Values): number
  close(): void
} {
  const db = new SQLite(file)
  db.exec(TABLES)
  const defaults: Record<string, Values> = {
    auth_user: { last_name: '', first_name: '', is_staff: 0, is_active: 1, is_superuser: 0 },
    accounts_profile: {
      ping_log_limit: 100,
      token: '',
      check_limit: 10000,
      sms_limit: 0,
      sms_sent: 0,
      sort: 'created',
      nag_period: 0,
      call_limit: 0,
      calls_sent: 0,
      reports: 'off',
      tz: 'UTC',
    },
    accounts_project: { api_key: '', api_key_readonly: '', show_slugs: 0 },
    api_check: {
      status: 'new',
      timeout: 86_400_000_000,
      grace: 3_600_000_000,
      tags: '',
      n_pings: 0,
      kind: 'simple',
      schedule: '* * * * *',
      tz: 'UTC',
      has_confirmation_link: 0,
      desc: '',
      methods: '',
      manual_resume: 0,
      slug: '',
      failure_kw: '',
      filter_body: 0,
      filter_subject: 0,
      success_kw: '',
      start_kw: '',
      filter_http_body: 0,
      filter_default_fail: 0,
    },
    api_ping: { method: 'GET', ua: '', scheme: 'https' },
    api_flip: { reason: '' },
    api_channel: { email_verified: 0, name: '', last_error: '', disabled: 0 },
  }
  return {
    insert(table, row) {
      const full = { ...(defaults[table] ?? {}), ...row }
      const cols = Object.keys(full)
      const r = db
        .prepare(
          `insert into ${table} (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`,
        )
        .run(...cols.map((c) => full[c]))
      return Number(r.lastInsertRowid)
    },
    close: () => db.close(),
  }
}
