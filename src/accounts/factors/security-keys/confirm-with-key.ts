/**
 * Use cases: a security key as proof of identity, for a sudo grant (RA-4, a key is the first
 * method offered) and for the second log-in step (LG-3). Both check the assertion through
 * security-keys.ts and then share the grant and session code of the other methods.
 */
import type { Ctx } from '../../../context.js'
import type { User } from '../../../db/index.js'
import { err, ok, type Result } from '../../../result.js'
import { type RequestMeta, recordFailedProof } from '../../audit/security-events.js'
import {
  finishPendingLogin,
  type LoggedInFully,
  loadPendingLogin,
  type SecondStepError,
  secondStepMethods,
} from '../../login/pending-logins.js'
import type { Session } from '../../sessions/sessions.js'
import { grantSudo, type SudoGranted } from '../../sudo/enter-sudo-mode.js'
import { availableReauthMethods } from '../factors.js'
import { type KeyAssertionError, startKeyAssertion, verifyKeyAssertion } from './security-keys.js'

/** Challenge keys: one per purpose and holder, so a sudo challenge cannot finish a log-in. */
export const sudoChallengeKey = (session: Pick<Session, 'id'>) => `sudo:session:${session.id}`
export const loginChallengeKey = (pendingId: string) => `login:pending:${pendingId}`

/** Options for the confirm page's key form, or null when keys cannot be used here. */
export async function sudoKeyOptions(ctx: Ctx, user: User, session: Session) {
  const r = await startKeyAssertion(ctx, user, sudoChallengeKey(session))
  return r.ok ? r.value : null
}

export async function enterSudoWithKey(
  ctx: Ctx,
  input: { user: User; session: Session; response: string; meta: RequestMeta },
): Promise<Result<SudoGranted, KeyAssertionError | { kind: 'method-unavailable' }>> {
  const now = ctx.clock.now()
  const { user, session, meta } = input
  // Any class: a key is a second factor, so it also covers downgrades (RA-5).
  const { methods } = await availableReauthMethods(ctx, user, false)
  if (!methods.includes('webauthn')) return err({ kind: 'method-unavailable' })
  const r = await verifyKeyAssertion(
    ctx,
    { user, challengeKey: sudoChallengeKey(session), response: input.response, meta },
    now,
  )
  if (!r.ok) {
    await recordFailedProof(
      ctx,
      user.id,
      { type: 'reauth.failure', method: 'webauthn', reason: r.error.kind, meta },
      now,
    )
    return r
  }
  return ok(await grantSudo(ctx, user, session, 'webauthn', meta, now))
}

/** Options for the second step's key form, or null (no pending log-in, or no usable key). */
export async function loginKeyOptions(ctx: Ctx, pendingToken: string) {
  const pending = await loadPendingLogin(ctx, pendingToken, ctx.clock.now())
  if (!pending.ok) return null
  const r = await startKeyAssertion(ctx, pending.value.user, loginChallengeKey(pending.value.id))
  return r.ok ? r.value : null
}

export async function completeSecondStepWithKey(
  ctx: Ctx,
  input: { pendingToken: string; response: string; meta: RequestMeta },
): Promise<Result<LoggedInFully, SecondStepError | KeyAssertionError>> {
  const now = ctx.clock.now()
  const pending = await loadPendingLogin(ctx, input.pendingToken, now)
  if (!pending.ok) return pending
  const { user, id } = pending.value
  if (!(await secondStepMethods(ctx, user)).includes('webauthn'))
    return err({ kind: 'method-unavailable' })
  const r = await verifyKeyAssertion(
    ctx,
    { user, challengeKey: loginChallengeKey(id), response: input.response, meta: input.meta },
    now,
  )
  if (!r.ok) {
    await recordFailedProof(
      ctx,
      user.id,
      { type: 'login.2fa_failure', method: 'webauthn', reason: r.error.kind, meta: input.meta },
      now,
    )
    return r
  }
  return finishPendingLogin(ctx, id, user, 'webauthn', input.meta, now)
}
