/**
 * Applies the migrations in src/db/migrations/ (append-only, NNNN-what-changed.ts) with Kysely's
 * Migrator, which records them in kysely_migration and refuses a history that is not a prefix of
 * the files. Used on start-up and by `vigil migrate`; `pendingMigrations` serves `vigil doctor`.
 */
import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely'
import type { Db } from './database.js'
import type { MigrationDialect } from './migration-types.js'
import * as m0001 from './migrations/0001-initial.js'
import * as m0002LoginAttempts from './migrations/0002-login-attempts.js'
import * as m0003AlertsOutboxNotification from './migrations/0003-alerts-outbox-notification.js'
import * as m0004TokenBuckets from './migrations/0004-token-buckets.js'
import * as m0005AccountSecurity from './migrations/0005-account-security.js'
import * as m0006AlertExtras from './migrations/0006-alert-extras.js'
import * as m0007Teams from './migrations/0007-teams.js'
import * as m0008ApiKeys from './migrations/0008-api-keys.js'
import * as m0009UserPhone from './migrations/0009-user-phone.js'
import * as m0010OidcIdentities from './migrations/0010-oidc-identities.js'
import * as m0011Passkeys from './migrations/0011-passkeys.js'
import * as m0012InvitationSignups from './migrations/0012-invitation-signups.js'
import * as m0013WorkerOutages from './migrations/0013-worker-outages.js'
import * as m0014PingBodyObjects from './migrations/0014-ping-body-objects.js'
import * as m0015AlertGates from './migrations/0015-alert-gates.js'
import * as m0016CheckDependencies from './migrations/0016-check-dependencies.js'
import * as m0017SnoozeMaintenance from './migrations/0017-snooze-maintenance.js'
import * as m0018ThresholdsWarnings from './migrations/0018-thresholds-warnings.js'
import * as m0019GroupedRepeatedAlerts from './migrations/0019-grouped-repeated-alerts.js'
import * as m0020RunTimeLimits from './migrations/0020-run-time-limits.js'
import * as m0021RunInsight from './migrations/0021-run-insight.js'
import * as m0022StatusPages from './migrations/0022-status-pages.js'

interface MigrationModule {
  up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void>
}

/** Every migration, in order. Add new files here. */
const MIGRATIONS: Record<string, MigrationModule> = {
  '0001-initial': m0001,
  '0002-login-attempts': m0002LoginAttempts,
  '0003-alerts-outbox-notification': m0003AlertsOutboxNotification,
  '0004-token-buckets': m0004TokenBuckets,
  '0005-account-security': m0005AccountSecurity,
  '0006-alert-extras': m0006AlertExtras,
  '0007-teams': m0007Teams,
  '0008-api-keys': m0008ApiKeys,
  '0009-user-phone': m0009UserPhone,
  '0010-oidc-identities': m0010OidcIdentities,
  '0011-passkeys': m0011Passkeys,
  '0012-invitation-signups': m0012InvitationSignups,
  '0013-worker-outages': m0013WorkerOutages,
  '0014-ping-body-objects': m0014PingBodyObjects,
  '0015-alert-gates': m0015AlertGates,
  '0016-check-dependencies': m0016CheckDependencies,
  '0017-snooze-maintenance': m0017SnoozeMaintenance,
  '0018-thresholds-warnings': m0018ThresholdsWarnings,
  '0019-grouped-repeated-alerts': m0019GroupedRepeatedAlerts,
  '0020-run-time-limits': m0020RunTimeLimits,
  '0021-run-insight': m0021RunInsight,
  '0022-status-pages': m0022StatusPages,
}

function migrator(db: Db): Migrator {
  const dialect = db.dialect
  return new Migrator({
    db: db.kysely as Kysely<unknown>,
    // Without it Kysely finds another schema's migration table and skips creating ours.
    migrationTableSchema: db.schema ?? undefined,
    provider: {
      async getMigrations() {
        const out: Record<string, Migration> = {}
        for (const [name, mod] of Object.entries(MIGRATIONS)) {
          out[name] = { up: (k) => mod.up(k, dialect) }
        }
        return out
      },
    },
  })
}

/** Brings the schema up to date; returns Kysely's `{ error, results }` rather than throwing. */
export function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  return migrator(db).migrateToLatest()
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations()
  return all.filter((m) => !m.executedAt).map((m) => m.name)
}

/** Every migration's name, in the order they run. */
export function migrationNames(): string[] {
  return Object.keys(MIGRATIONS)
}

/** Applies the migrations up to and including `name` (tests walk the history one step at a time). */
export function migrateTo(db: Db, name: string): Promise<MigrationResultSet> {
  return migrator(db).migrateTo(name)
}
