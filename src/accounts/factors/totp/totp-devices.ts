/**
 * The `user_totp` row of a user: the encrypted secret and the replay guard. A code is accepted
 * only when its time step is newer than every step accepted before, checked by one conditional
 * update (spec TOTP-4), so a code cannot be used twice even by two requests at once.
 * Healthchecks checks pyotp's `verify` alone and accepts a replay within the window.
 */
import type { Ctx } from '../../../context.js'
import { openSecret, sealSecret, secretBoxKey } from '../secret-box.js'
import { matchTotpStep } from './totp.js'

export type TotpVerdict = 'ok' | 'wrong' | 'reused' | 'not-enrolled'

export async function hasTotp(ctx: Ctx, userId: number): Promise<boolean> {
  const row = await ctx.db.kysely
    .selectFrom('user_totp')
    .select('user_id')
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row !== undefined
}

/** Checks a code and, when it matches a new step, records that step. */
export async function verifyTotpCode(
  ctx: Ctx,
  userId: number,
  code: string,
  now: number,
): Promise<TotpVerdict> {
  const row = await ctx.db.kysely
    .selectFrom('user_totp')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) return 'not-enrolled'
  const secret = openSecret(secretBoxKey(ctx.config), row.secret)
  // A secret sealed under another key (SECRET_KEY changed) cannot match anything.
  if (secret === null) return 'wrong'
  const step = matchTotpStep(secret, code, now, ctx.config.accounts.totpDriftSteps)
  if (step === null) return 'wrong'
  const r = await ctx.db.kysely
    .updateTable('user_totp')
    .set({ last_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1 ? 'ok' : 'reused'
}

/** Stores a confirmed secret, with the confirming step as the first used one (TOTP-4). */
export async function saveTotp(
  ctx: Ctx,
  userId: number,
  secret: string,
  confirmedStep: number,
  now: number,
): Promise<void> {
  await ctx.db.kysely.deleteFrom('user_totp').where('user_id', '=', userId).execute()
  await ctx.db.kysely
    .insertInto('user_totp')
    .values({
      user_id: userId,
      secret: sealSecret(secretBoxKey(ctx.config), secret),
      last_step: confirmedStep,
      created: now,
    })
    .execute()
}

export async function deleteTotp(ctx: Ctx, userId: number): Promise<boolean> {
  const r = await ctx.db.kysely
    .deleteFrom('user_totp')
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
