/**
 * The sudo guard of web routes (spec RA-6): a protected page or form goes on only while the
 * session holds a fresh grant (RA-2), and for class D actions only if that grant came from a
 * second factor (RA-5). Otherwise GET → 303 to /account/confirm, POST → the same with "your
 * changes were not saved", JSON → 401 with the methods. Healthchecks' `require_sudo_mode` instead
 * e-mails a code on every GET.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  availableReauthMethods,
  grantCoversDowngrade,
  hasSecondFactor,
  isSudoActive,
  recordSecurityEvent,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { userOf } from '../access-guard.js'
import { sendErrorPage } from '../error-page.js'
import { requestMeta } from './account-page.js'
import { protectedAction } from './protected-actions.js'

export function confirmUrl(next: string, unsaved = false): string {
  return `/account/confirm?next=${encodeURIComponent(next)}${unsaved ? '&unsaved=1' : ''}`
}

/**
 * True when the request may go on; false when the answer was already sent (a redirect or 403).
 * `action` is the key of PROTECTED_ACTIONS the route performs. A boolean, not the reply: a
 * FastifyReply is thenable, so awaiting one returned from an async function loses it.
 */
export async function requireSudo(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  action: string,
): Promise<boolean> {
  // Only routes behind the access guard's log-in ask for sudo.
  const auth = userOf(req)
  const { downgrade } = protectedAction(action) ?? { downgrade: true }
  const now = ctx.clock.now()
  const active = isSudoActive(auth.session.reauth_at, now, ctx.config.accounts.sudoTtlSeconds)
  if (active && !downgrade) return true
  const { factors, methods } = await availableReauthMethods(ctx, auth.user, downgrade)
  if (active && grantCoversDowngrade(auth.session, hasSecondFactor(factors))) return true

  if (String(req.headers.accept ?? '').includes('application/json')) {
    reply.code(401).send({ error: 'reauth_required', methods })
    return false
  }
  if (active && req.method === 'POST') {
    // A password grant may not remove a second factor (RA-5): refuse, and say how to go on.
    await recordSecurityEvent(
      ctx,
      {
        type: 'reauth.downgrade_blocked',
        actorUserId: auth.user.id,
        subjectUserId: auth.user.id,
        meta: requestMeta(req),
        details: { method: auth.session.reauth_method, action },
      },
      now,
    )
    sendErrorPage(reply, ctx.config, 403, {
      title: 'Confirm with your second factor',
      message:
        'To remove protection from your account, confirm it is you with your authenticator app, security key or a recovery code. Your changes were not saved.',
      link: { href: confirmUrl(action), text: 'Confirm it is you' },
    })
    return false
  }
  reply.redirect(confirmUrl(action, req.method === 'POST'), 303)
  return false
}
