/**
 * Use case: closing one's own account (spec LG-7; sudo is checked by the route). The user types
 * their address to confirm; the user row goes, and with it (foreign keys cascade) every session,
 * factor and project they own, as Healthchecks' "Close account" deletes the profile and projects.
 * A farewell notice goes through the outbox when mail can go; audit rows keep only the old id.
 */

import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { withTransaction } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { notifySecurityChange } from '../audit/security-notifications.js'
import { normalizeEmail } from './create-user.js'

export type CloseAccountError = { kind: 'email-mismatch' }

export async function closeAccount(
  ctx: Ctx,
  input: { user: User; typedEmail: string; meta: RequestMeta },
): Promise<Result<{ notified: boolean }, CloseAccountError>> {
  const { user } = input
  if (normalizeEmail(input.typedEmail) !== user.email) return err({ kind: 'email-mismatch' })
  const now = ctx.clock.now()
  await withTransaction(ctx, async (t, trx) => {
    // Sessions first: explicit, so no cookie outlives the account even without cascades.
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute()
    await trx.deleteFrom('projects').where('owner_id', '=', user.id).execute()
    await trx.deleteFrom('users').where('id', '=', user.id).execute()
    await recordSecurityEvent(
      t,
      { type: 'account.closed', actorUserId: user.id, subjectUserId: user.id, meta: input.meta },
      now,
    )
  })
  const notified = await notifySecurityChange(
    ctx,
    user.email,
    'Your account was closed and its projects deleted. Goodbye, and thank you for using it.',
    now,
  )
  return ok({ notified })
}
