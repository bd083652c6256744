/**
 * A phone number per user for confirming it's you by text message (spec RA-4 item 6, OOB-4):
 * `phone` in E.164 and `phone_verified_at`, set only after a texted code came back. A number
 * without a verification time is never used. Healthchecks has no such field. Never edit once merged.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('phone', 'text').execute()
  await db.schema.alterTable('users').addColumn('phone_verified_at', 'bigint').execute()
}
