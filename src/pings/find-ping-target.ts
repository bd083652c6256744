/**
 * Whether a ping address names a check, read without locks: the SMTP server asks it at RCPT so an
 * unknown address is refused there (550) instead of being accepted and dropped. The ping itself
 * still looks the check up again under its lock (record-ping.ts); a check deleted in between is
 * then logged and skipped, as Healthchecks' smtpd does for every unknown check.
 */
import type { Db } from '../db/index.js'
import type { PingTarget } from './ping-url.js'

export type PingTargetLookup = 'found' | 'not-found' | 'ambiguous'

export async function findPingTarget(db: Db, target: PingTarget): Promise<PingTargetLookup> {
  if ('code' in target) {
    const row = await db.kysely
      .selectFrom('checks')
      .select('id')
      .where('code', '=', target.code)
      .executeTakeFirst()
    return row ? 'found' : 'not-found'
  }
  const rows = await db.kysely
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .select('checks.id')
    .where('projects.ping_key', '=', target.pingKey)
    .where('checks.slug', '=', target.slug)
    .limit(2)
    .execute()
  if (rows.length === 0) return 'not-found'
  return rows.length > 1 ? 'ambiguous' : 'found'
}
