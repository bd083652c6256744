/**
 * The last step of every log-in (password, second step, link, header auth, OIDC, passkey): start
 * the session (SE-4: a new id; RA-2: sudo unless a method is a bearer token) and audit it (AU-2)
 * with the new session's id. Not here: deciding whether a second step is due, which each flow does.
 */
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { createSession, type Session } from '../sessions/sessions.js'

export interface LoginSessionStart {
  /** What the user proved, e.g. ['password', 'totp'] (the session's `amr`). */
  amr: string[]
  meta: RequestMeta
  /** The audit event's details, e.g. `{ method: 'link' }`. */
  details?: Record<string, string | number | boolean | null>
  /** `login.2fa_success` after the second step; `login.success` otherwise. */
  event?: 'login.success' | 'login.2fa_success'
}

/** Starts a session for the user and records the log-in; the token goes into the cookie only. */
export async function startLoginSession(
  ctx: Ctx,
  user: User,
  start: LoginSessionStart,
  now: number,
): Promise<{ session: Session; token: string }> {
  const { meta } = start
  const { session, token } = await createSession(ctx, user.id, {
    amr: start.amr,
    ip: meta.ip,
    userAgent: meta.userAgent,
  })
  await recordSecurityEvent(
    ctx,
    {
      type: start.event ?? 'login.success',
      actorUserId: user.id,
      subjectUserId: user.id,
      meta: { ...meta, sessionId: session.id },
      details: start.details,
    },
    now,
  )
  return { session, token }
}
