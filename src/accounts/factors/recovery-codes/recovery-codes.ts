/**
 * Recovery codes (spec RC-1…RC-7): ten 12-character Crockford base32 codes, shown once, stored as
 * argon2id hashes, each usable once. Consuming is a conditional update that must change exactly
 * one row, so two concurrent uses of one code cannot both succeed (RC-3). Healthchecks has none.
 */
import { randomInt } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import type { Ctx } from '../../../context.js'
// RC-2: argon2id, m=19 MiB, t=2, p=1 (PASSWORD_HASH_COST=standard), the library's 16-byte salt.
import { HASH_COSTS } from '../../passwords/passwords.js'

export const RECOVERY_CODE_COUNT = 10
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** One code as shown: `XXXX-XXXX-XXXX`, 60 random bits. */
export function newRecoveryCode(): string {
  let raw = ''
  for (let i = 0; i < 12; i++) raw += CROCKFORD[randomInt(32)]
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`
}

/**
 * What the user typed, as stored: uppercase, no spaces or hyphens, O→0 and I/L→1 (RC-1).
 * Null when it cannot be a code.
 */
export function normaliseRecoveryCode(input: string): string | null {
  const s = input
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
  if (s.length !== 12) return null
  for (const c of s) if (!CROCKFORD.includes(c)) return null
  return s
}

/**
 * Replaces the user's whole set with ten new codes and returns them (the only time they exist
 * in plain text). Old codes stop working at once (RC-6). Run it inside a transaction's ctx.
 */
export async function replaceRecoveryCodes(
  ctx: Ctx,
  userId: number,
  now: number,
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  const hashes = await Promise.all(
    codes.map((c) =>
      hash(normaliseRecoveryCode(c) as string, HASH_COSTS[ctx.config.accounts.passwordHashCost]),
    ),
  )
  await ctx.db.kysely.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  await ctx.db.kysely
    .insertInto('recovery_codes')
    .values(
      hashes.map((code_hash) => ({ user_id: userId, code_hash, created: now, used_at: null })),
    )
    .execute()
  return codes
}

/** Deletes every code of the user (RC-7: no codes without a second factor). */
export async function deleteRecoveryCodes(ctx: Ctx, userId: number): Promise<void> {
  await ctx.db.kysely.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
}

/** How many unused codes the user has, and when the set was made. */
export async function recoveryCodeStatus(
  ctx: Ctx,
  userId: number,
): Promise<{ left: number; created: number | null }> {
  const rows = await ctx.db.kysely
    .selectFrom('recovery_codes')
    .select(['created', 'used_at'])
    .where('user_id', '=', userId)
    .execute()
  return {
    left: rows.filter((r) => r.used_at === null).length,
    created: rows.length ? Math.max(...rows.map((r) => r.created)) : null,
  }
}

/** Uses one code; true only when this call marked an unused matching code as used. */
export async function consumeRecoveryCode(
  ctx: Ctx,
  userId: number,
  input: string,
  now: number,
): Promise<boolean> {
  const code = normaliseRecoveryCode(input)
  if (code === null) return false
  const rows = await ctx.db.kysely
    .selectFrom('recovery_codes')
    .select(['id', 'code_hash'])
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute()
  for (const row of rows) {
    let matches = false
    try {
      matches = await verify(row.code_hash, code)
    } catch {
      matches = false
    }
    if (!matches) continue
    const r = await ctx.db.kysely
      .updateTable('recovery_codes')
      .set({ used_at: now })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    // Zero rows: a concurrent request used it first; this one fails (RC-3).
    return Number(r.numUpdatedRows) === 1
  }
  return false
}
