/**
 * /account/security (overview of factors and the phone for texted codes, RA-12), /account/totp (enrol, TOTP-5), /account/totp/
 * remove (TOTP-6, class D) and /account/recovery-codes (RC-6). Each protected GET and POST passes
 * requireSudo first; new recovery codes are shown exactly once, on the answer to the POST.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  confirmTotpEnrolment,
  groupSecret,
  isSecureSite,
  recoveryCodeStatus,
  regenerateRecoveryCodes,
  removeTotp,
  startTotpEnrolment,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { LOGGED_IN, userOf } from '../access-guard.js'
import { formField } from '../render.js'
import { type WebMessages, webError } from '../web-errors.js'
import { factorRemovedNotice, requestMeta, sendAccountPage } from './account-page.js'
import { postedCodes, recoveryCodesFile, recoveryCodesFileName } from './recovery-code-list.js'
import { RecoveryCodeStatus, sendRecoveryCodesPage } from './recovery-codes-page.js'
import { requireSudo } from './require-sudo.js'
import { RemoveTotpPage, SecurityPage, TotpEnrolmentPage } from './security-page.js'
import { loadSecurityView } from './security-view.js'

async function showSecurity(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  notice?: string,
  usedRecoveryCode = false,
  notEmailed = false,
) {
  const v = await loadSecurityView(ctx, userOf(req).user, { notice, usedRecoveryCode, notEmailed })
  return sendAccountPage(ctx, req, reply, 200, 'Account security', () => <SecurityPage v={v} />)
}

/** NT-2 after a log-in with a recovery code: "We couldn't email you…" on the next security page. */
export const NOT_EMAILED_COOKIE = 'vigil_not_emailed'

function notEmailedCookieOptions(ctx: Ctx) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/account/security',
    secure: isSecureSite(ctx.config),
  }
}

/** Sets the one-time NT-2 banner for the page a recovery-code log-in redirects to (5 minutes). */
export function setNotEmailedCookie(ctx: Ctx, reply: FastifyReply): void {
  reply.setCookie(NOT_EMAILED_COOKIE, '1', { ...notEmailedCookieOptions(ctx), maxAge: 300 })
}

const TOTP_ENROL_MESSAGES: WebMessages = {
  'no-pending': 'The set-up took too long and the secret expired. Scan the new one below.',
}
const TOTP_WRONG_CODE =
  "That code didn't work. Check the time on your device and try the current code."

const RECOVERY_CODES_NEED_A_FACTOR =
  'Recovery codes need an authenticator app or a security key first.'

/** The page that shows the first recovery codes once the app is on. */
const TOTP_ON = {
  title: 'Authenticator app on',
  heading: 'Two-factor authentication is on',
  notices: ['Your authenticator app is set up. You will need a code from it when you log in.'],
}

export function registerSecurityRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/account/security', LOGGED_IN, async (req, reply) => {
    const used = (req.query as Record<string, unknown>).used_recovery_code
    const left = typeof used === 'string' && /^\d+$/.test(used) ? Number(used) : null
    // RC-5: after a log-in with a recovery code, say how many are left; NT-2: and, once, that the
    // notice about it could not be mailed (the log-in left a short-lived cookie; it is used up).
    const notice = left === null ? undefined : `You used a recovery code. ${left} left.`
    const notEmailed = req.cookies[NOT_EMAILED_COOKIE] === '1'
    if (notEmailed) reply.clearCookie(NOT_EMAILED_COOKIE, notEmailedCookieOptions(ctx))
    return showSecurity(ctx, req, reply, notice, left !== null, notEmailed)
  })

  app.get('/account/totp', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/totp'))) return reply
    return showTotpEnrolment(ctx, req, reply, 200)
  })

  app.post('/account/totp', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/totp'))) return reply
    const { user, session } = userOf(req)
    const code = formField(req.body, 'code')
    const r = await confirmTotpEnrolment(ctx, { user, session, code, meta: requestMeta(req) })
    if (!r.ok) {
      const { status, message } = webError(reply, r.error, TOTP_ENROL_MESSAGES, TOTP_WRONG_CODE)
      return showTotpEnrolment(ctx, req, reply, status, message)
    }
    const { recoveryCodes: codes, notified } = r.value
    return sendRecoveryCodesPage(ctx, req, reply, { ...TOTP_ON, notified, codes })
  })

  app.get('/account/totp/remove', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/totp/remove'))) return reply
    const title = 'Remove authenticator app'
    const page = (csrf: string) => <RemoveTotpPage csrf={csrf} />
    return sendAccountPage(ctx, req, reply, 200, title, page, { narrow: true })
  })

  app.post('/account/totp/remove', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/totp/remove'))) return reply
    const { user, session } = userOf(req)
    const r = await removeTotp(ctx, { user, session, meta: requestMeta(req) })
    if (!r.ok) return showSecurity(ctx, req, reply, 'The authenticator app was already removed.')
    const notice = factorRemovedNotice(r.value, 'The authenticator app was removed.')
    return showSecurity(ctx, req, reply, notice)
  })

  app.get('/account/recovery-codes', LOGGED_IN, async (req, reply) => {
    const status = await recoveryCodeStatus(ctx, userOf(req).user.id)
    return sendAccountPage(
      ctx,
      req,
      reply,
      200,
      'Recovery codes',
      (csrf) => <RecoveryCodeStatus status={status} csrf={csrf} />,
      { narrow: true },
    )
  })

  app.post('/account/recovery-codes', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/recovery-codes'))) return reply
    const { user, session } = userOf(req)
    const r = await regenerateRecoveryCodes(ctx, { user, session, meta: requestMeta(req) })
    if (!r.ok) return showSecurity(ctx, req, reply, RECOVERY_CODES_NEED_A_FACTOR)
    const { codes, notified } = r.value
    return sendRecoveryCodesPage(ctx, req, reply, { title: 'New recovery codes', notified, codes })
  })

  // RC-2: the codes as a file. They come back from the page that showed them; nothing is stored.
  app.post('/account/recovery-codes/download', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const codes = postedCodes(formField(req.body, 'codes'))
    if (!codes) return reply.redirect('/account/recovery-codes', 303)
    const name = recoveryCodesFileName(ctx.config.siteName)
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(recoveryCodesFile(ctx.config.siteName, auth.user.email, codes))
  })

  // RC-2: "Done" is accepted only with "I have saved my recovery codes" ticked.
  app.post('/account/recovery-codes/saved', LOGGED_IN, async (req, reply) => {
    const codes = postedCodes(formField(req.body, 'codes'))
    if (formField(req.body, 'saved') === '1' || !codes)
      return reply.redirect('/account/security', 303)
    return sendRecoveryCodesPage(ctx, req, reply, {
      title: 'Recovery codes',
      heading: false,
      codes,
      error: 'Save your recovery codes first, then tick the box.',
      status: 400,
    })
  })
}

async function showTotpEnrolment(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error?: string,
) {
  const auth = userOf(req)
  const pending = await startTotpEnrolment(ctx, auth.user, auth.session)
  const page = (csrf: string) => (
    <TotpEnrolmentPage
      csrf={csrf}
      uri={pending.uri}
      secret={pending.secret}
      groupedSecret={groupSecret(pending.secret)}
      error={error}
    />
  )
  return sendAccountPage(ctx, req, reply, status, 'Set up authenticator app', page, {
    narrow: true,
  })
}
