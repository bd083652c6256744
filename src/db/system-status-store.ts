/**
 * The doctor's rows in `system_status` (key → JSON): the secret-key fingerprint, the sampled
 * request origins, the last network checks. Every process reads and writes them, so a stateless
 * web process sees what the worker or another web process found.
 */
import type { Ctx } from '../context.js'

/** The stored JSON under `key`, or null when absent or unreadable. */
export async function readStatus<T>(ctx: Ctx, key: string): Promise<T | null> {
  const row = await ctx.db.kysely
    .selectFrom('system_status')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst()
  if (!row) return null
  try {
    return JSON.parse(row.value) as T
  } catch {
    return null
  }
}

export async function writeStatus(
  ctx: Ctx,
  key: string,
  value: unknown,
  now: number,
): Promise<void> {
  const json = JSON.stringify(value)
  await ctx.db.kysely
    .insertInto('system_status')
    .values({ key, value: json, updated: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated: now }))
    .execute()
}
