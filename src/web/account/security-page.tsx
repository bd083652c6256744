/**
 * The views of /account/security, /account/totp and /account/totp/remove: pure functions of a
 * view-model (security-view.ts loads it), rendered by security-routes.tsx.
 */
import { NOT_EMAILED } from '../../accounts/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { CodeField } from '../form-fields.js'
import { ErrorText, Notice } from './account-page.js'
import { SMS_RISK_LABEL } from './confirm-page.js'
import { QrCode } from './qr-code.js'
import { confirmUrl } from './require-sudo.js'

/** What /account/security shows. */
export interface SecurityView {
  notice?: string
  /** RC-5: the notice follows a log-in with a recovery code (offer to regenerate). */
  usedRecoveryCode: boolean
  /** NT-2: the notice about that log-in could not be mailed. */
  notEmailed: boolean
  totp: boolean
  webauthnKeys: number
  codesLeft: number
  keys: {
    id: number
    name: string
    passkey: number
    created: number
    last_used_at: number | null
    /** Registered for another RP ID (domain): it cannot be used here. */
    otherDomain: boolean
  }[]
  keysWork: boolean
  passkeysWork: boolean
  /** OOB-4: the phone card only where texted codes are possible, or to take a stored number back. */
  showPhone: boolean
  smsConfigured: boolean
  maskedPhone: string | null
  hasPassword: boolean
  email: string
  emailVerified: boolean
  /** RA-12: no way to confirm a sensitive action; say so before the click. */
  blocked: boolean
}

export function SecurityPage({ v }: { v: SecurityView }) {
  const why = (next: string) =>
    v.blocked ? (
      <a class="hint" href={confirmUrl(next)}>
        Confirmation unavailable – see why
      </a>
    ) : null
  return (
    <>
      <h1>Account security</h1>
      {v.notice && (
        <Notice>
          {v.notice}
          {v.usedRecoveryCode && (
            <>
              {' '}
              <a href="/account/recovery-codes">Regenerate codes</a>
            </>
          )}
        </Notice>
      )}
      {v.notEmailed && <Notice>{NOT_EMAILED}</Notice>}
      {v.codesLeft === 0 && (v.totp || v.webauthnKeys > 0) && (
        // RC-5: stays until there are codes again.
        <p class="error" role="alert" data-no-recovery-codes>
          You have no recovery codes left. If you lose your authenticator, you can't log in.{' '}
          <a href="/account/recovery-codes">Regenerate codes</a>
        </p>
      )}
      <div class="card">
        <h2>Two-factor authentication</h2>
        <p data-totp={v.totp ? 'on' : 'off'}>
          Authenticator app: {v.totp ? 'on' : 'off'}{' '}
          {v.totp ? (
            <a href="/account/totp/remove">Remove authenticator app</a>
          ) : (
            <a href="/account/totp">Set up authenticator app</a>
          )}{' '}
          {!v.totp && why('/account/totp')}
        </p>
        <div data-security-keys={v.keys.length}>
          Security keys: {v.keys.length === 0 ? 'none' : v.keys.length}{' '}
          {v.keysWork ? (
            <a href="/account/keys">Add security key</a>
          ) : (
            <span class="hint">Security keys can't be used on this server.</span>
          )}{' '}
          {v.keysWork && why('/account/keys')}
          {v.passkeysWork && (
            <>
              {' '}
              <a href="/account/passkeys">Add a passkey</a> {why('/account/passkeys')}
            </>
          )}
          {v.keys.length > 0 && (
            <ul>
              {v.keys.map((k) => (
                <li key={k.id} data-key-name={k.name}>
                  {k.name}
                  {k.passkey === 1 && ' (passkey)'}
                  {k.otherDomain && ' (registered for another domain)'}{' '}
                  <span class="hint">
                    added {new Date(k.created).toISOString().slice(0, 10)}
                    {k.last_used_at !== null &&
                      `, last used ${new Date(k.last_used_at).toISOString().slice(0, 10)}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {v.keys.length > 0 && <a href="/account/keys/remove">Rename or remove security keys</a>}
        </div>
        <p>
          Recovery codes: {v.codesLeft} left{' '}
          {v.totp || v.webauthnKeys > 0 ? (
            <a href="/account/recovery-codes">Manage recovery codes</a>
          ) : null}
        </p>
        {v.codesLeft > 0 && v.codesLeft <= 3 && (
          <p class="error" data-few-recovery-codes>
            Only {v.codesLeft} recovery code{v.codesLeft === 1 ? '' : 's'} left. Make new ones.
          </p>
        )}
      </div>
      {v.showPhone && (
        <div class="card" data-phone-card>
          <h2>Confirmation by text message</h2>
          <p>
            Phone: {v.maskedPhone ? `${v.maskedPhone} (verified)` : 'none'}{' '}
            <span class="hint">— {SMS_RISK_LABEL}</span>{' '}
            {v.smsConfigured && (
              <>
                <a href="/account/phone">
                  {v.maskedPhone ? 'Change phone number' : 'Add phone number'}
                </a>{' '}
                {why('/account/phone')}
              </>
            )}{' '}
            {v.maskedPhone && <a href="/account/phone/remove">Remove phone number</a>}
          </p>
        </div>
      )}
      <div class="card">
        <h2>Sign-in</h2>
        <p>
          <a href="/account/password">{v.hasPassword ? 'Change password' : 'Set a password'}</a>{' '}
          {why('/account/password')}
        </p>
        <p>
          Email: {v.email}
          {!v.emailVerified && ' (not verified)'} <a href="/account/email">Change email</a>{' '}
          {why('/account/email')}
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
  )
}

/** /account/totp: the secret as QR code, link and text, and the form for the first code. */
export function TotpEnrolmentPage(props: {
  csrf: string
  uri: string
  secret: string
  groupedSecret: string
  error?: string
}) {
  const { csrf, error } = props
  const pending = { uri: props.uri, secret: props.secret }
  return (
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
        Key: <code data-totp-secret={pending.secret}>{props.groupedSecret}</code>
      </p>
      <form method="post" action="/account/totp">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <CodeField label="6-digit code from the app" />
        <div class="actions">
          <button type="submit">Turn on</button>
        </div>
      </form>
    </div>
  )
}

export function RemoveTotpPage({ csrf }: { csrf: string }) {
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
