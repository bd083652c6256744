/**
 * /account/security (overview of factors and the phone for texted codes, RA-12), /account/totp (enrol, TOTP-5), /account/totp/
 * remove (TOTP-6, class D) and /account/recovery-codes (RC-6). Each protected GET and POST passes
 * requireSudo first; new recovery codes are shown exactly once, on the answer to the POST.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  availableReauthMethods,
  confirmTotpEnrolment,
  groupSecret,
  isSecureSite,
  listSecurityKeys,
  maskPhoneNumber,
  NOT_EMAILED,
  passkeyLoginCapability,
  recoveryCodeStatus,
  regenerateRecoveryCodes,
  removeTotp,
  smsReauthConfigured,
  startTotpEnrolment,
  verifiedPhone,
  webauthnCapability,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { LOGGED_IN, userOf } from '../access-guard.js'
import { CSRF_FIELD } from '../csrf.js'
import { formField } from '../render.js'
import { type WebMessages, webError } from '../web-errors.js'
import {
  ErrorText,
  factorRemovedNotice,
  Notice,
  requestMeta,
  sendAccountPage,
} from './account-page.js'
import { SMS_RISK_LABEL } from './confirm-page.js'
import { QrCode } from './qr-code.js'
import { postedCodes, recoveryCodesFile, recoveryCodesFileName } from './recovery-code-list.js'
import { RecoveryCodeStatus, sendRecoveryCodesPage } from './recovery-codes-page.js'
import { confirmUrl, requireSudo } from './require-sudo.js'

async function showSecurity(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  notice?: string,
  usedRecoveryCode = false,
  notEmailed = false,
) {
  const auth = userOf(req)
  const { factors, methods } = await availableReauthMethods(ctx, auth.user, false)
  const codes = await recoveryCodeStatus(ctx, auth.user.id)
  const keys = await listSecurityKeys(ctx, auth.user.id)
  const keysWork = webauthnCapability(ctx.config).enabled
  const passkeysWork = passkeyLoginCapability(ctx.config).enabled
  const phone = await verifiedPhone(ctx, auth.user.id)
  // OOB-4: the phone card only where texted codes are possible, or to take a stored number back.
  const showPhone = smsReauthConfigured(ctx.config) || phone !== null
  // RA-12: say before the click when no confirmation is possible.
  const blocked = methods.length === 0
  const why = (next: string) =>
    blocked ? (
      <a class="hint" href={confirmUrl(next)}>
        Confirmation unavailable – see why
      </a>
    ) : null
  return sendAccountPage(ctx, req, reply, 200, 'Account security', () => (
    <>
      <h1>Account security</h1>
      {notice && (
        <Notice>
          {notice}
          {usedRecoveryCode && (
            <>
              {' '}
              <a href="/account/recovery-codes">Regenerate codes</a>
            </>
          )}
        </Notice>
      )}
      {notEmailed && <Notice>{NOT_EMAILED}</Notice>}
      {codes.left === 0 && (factors.totp || factors.webauthnKeys > 0) && (
        // RC-5: stays until there are codes again.
        <p class="error" role="alert" data-no-recovery-codes>
          You have no recovery codes left. If you lose your authenticator, you can't log in.{' '}
          <a href="/account/recovery-codes">Regenerate codes</a>
        </p>
      )}
      <div class="card">
        <h2>Two-factor authentication</h2>
        <p data-totp={factors.totp ? 'on' : 'off'}>
          Authenticator app: {factors.totp ? 'on' : 'off'}{' '}
          {factors.totp ? (
            <a href="/account/totp/remove">Remove authenticator app</a>
          ) : (
            <a href="/account/totp">Set up authenticator app</a>
          )}{' '}
          {!factors.totp && why('/account/totp')}
        </p>
        <div data-security-keys={keys.length}>
          Security keys: {keys.length === 0 ? 'none' : keys.length}{' '}
          {keysWork ? (
            <a href="/account/keys">Add security key</a>
          ) : (
            <span class="hint">Security keys can't be used on this server.</span>
          )}{' '}
          {keysWork && why('/account/keys')}
          {passkeysWork && (
            <>
              {' '}
              <a href="/account/passkeys">Add a passkey</a> {why('/account/passkeys')}
            </>
          )}
          {keys.length > 0 && (
            <ul>
              {keys.map((k) => (
                <li key={k.id} data-key-name={k.name}>
                  {k.name}
                  {k.passkey === 1 && ' (passkey)'}
                  {k.rp_id !== ctx.config.accounts.webauthnRpId &&
                    ' (registered for another domain)'}{' '}
                  <span class="hint">
                    added {new Date(k.created).toISOString().slice(0, 10)}
                    {k.last_used_at !== null &&
                      `, last used ${new Date(k.last_used_at).toISOString().slice(0, 10)}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {keys.length > 0 && <a href="/account/keys/remove">Rename or remove security keys</a>}
        </div>
        <p>
          Recovery codes: {codes.left} left{' '}
          {factors.totp || factors.webauthnKeys > 0 ? (
            <a href="/account/recovery-codes">Manage recovery codes</a>
          ) : null}
        </p>
        {codes.left > 0 && codes.left <= 3 && (
          <p class="error" data-few-recovery-codes>
            Only {codes.left} recovery code{codes.left === 1 ? '' : 's'} left. Make new ones.
          </p>
        )}
      </div>
      {showPhone && (
        <div class="card" data-phone-card>
          <h2>Confirmation by text message</h2>
          <p>
            Phone: {phone ? `${maskPhoneNumber(phone.phone)} (verified)` : 'none'}{' '}
            <span class="hint">— {SMS_RISK_LABEL}</span>{' '}
            {smsReauthConfigured(ctx.config) && (
              <>
                <a href="/account/phone">{phone ? 'Change phone number' : 'Add phone number'}</a>{' '}
                {why('/account/phone')}
              </>
            )}{' '}
            {phone && <a href="/account/phone/remove">Remove phone number</a>}
          </p>
        </div>
      )}
      <div class="card">
        <h2>Sign-in</h2>
        <p>
          <a href="/account/password">
            {auth.user.password_hash ? 'Change password' : 'Set a password'}
          </a>{' '}
          {why('/account/password')}
        </p>
        <p>
          Email: {auth.user.email}
          {auth.user.email_verified === 0 && ' (not verified)'}{' '}
          <a href="/account/email">Change email</a> {why('/account/email')}
        </p>
        <p>
          <a href="/account/profile">Profile: time zone, reminders and reports</a>
        </p>
        <p>
          <a href="/account/sessions">Your sessions</a> ·{' '}
          <a href="/account/audit">Security activity</a> ·{' '}
          <a href="/account/close">Close account</a> {why('/account/close')}
        </p>
      </div>
    </>
  ))
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

function RemoveTotpPage({ csrf }: { csrf: string }) {
  return (
    <div class="card">
      <h1>Remove authenticator app</h1>
      <p>
        After this, logging in will no longer ask for a code from your app. Your other sessions will
        be signed out.
      </p>
      <form method="post" action="/account/totp/remove">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button type="submit">Remove authenticator app</button>
      </form>
    </div>
  )
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
  return sendAccountPage(
    ctx,
    req,
    reply,
    status,
    'Set up authenticator app',
    (csrf) => (
      <div class="card">
        <h1>Set up authenticator app</h1>
        {error && <ErrorText>{error}</ErrorText>}
        <p>
          Add this account to your authenticator app: scan the QR code, open the link on your phone,
          or type the key in by hand.
        </p>
        <QrCode text={pending.uri} label="QR code of the authenticator app set-up link" />
        <p>
          <a href={pending.uri}>Open in authenticator app</a>
        </p>
        <p>
          Key: <code data-totp-secret={pending.secret}>{groupSecret(pending.secret)}</code>
        </p>
        <form method="post" action="/account/totp">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <label for="code">6-digit code from the app</label>
          <input
            id="code"
            name="code"
            type="text"
            inputMode="numeric"
            autocomplete="one-time-code"
            required
          />
          <div class="actions">
            <button type="submit">Turn on</button>
          </div>
        </form>
      </div>
    ),
    { narrow: true },
  )
}
