/**
 * The confirm-it's-you page (spec RA-7, RA-9, RA-11): one form for the chosen method, links to the
 * others, and, when the user has no way at all, the exact explanation of 5.4 instead of a dead
 * end. It never says a code was sent unless the send worked.
 */
import type { ComponentChildren } from 'preact'
import type { ReauthMethod } from '../../accounts/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { CodeField, SecurityKeyPrompt } from '../form-fields.js'
import { ErrorText, Notice } from './account-page.js'

export const METHOD_NAMES: Record<ReauthMethod, string> = {
  webauthn: 'Use your security key',
  totp: 'Use your authenticator app',
  recovery_code: 'Use a recovery code',
  password: 'Use your password',
  email_code: 'Email me a code',
  sms_code: 'Text me a code',
  oidc: 'Sign in again with single sign-on',
}

/** ASVS 6.6.1 / OOB-4: the risk of texted codes is said wherever SMS is offered. */
export const SMS_RISK_LABEL = 'less secure (vulnerable to SIM swap)'

export const CONFIRM_TEXT = {
  title: "Confirm it's you",
  unsaved: "Please confirm it's you. Your changes were not saved.",
  noneTitle: "We can't confirm it's you right now",
  channelFailed:
    "We couldn't send the code because this server can't send email right now. Choose another way to confirm:",
  smsChannelFailed:
    "We couldn't send the code because this server can't send text messages right now. Choose another way to confirm:",
} as const

/** The RA-9 banner for the channel that failed. */
function channelFailedText(channel: 'email' | 'sms'): string {
  return channel === 'sms' ? CONFIRM_TEXT.smsChannelFailed : CONFIRM_TEXT.channelFailed
}

export interface ConfirmPageProps {
  csrf: string
  siteName: string
  next: string
  action: string
  methods: ReauthMethod[]
  method: ReauthMethod | null
  unsaved?: boolean
  error?: string
  notice?: string
  /** The e-mail or SMS channel just failed (RA-9). */
  channelFailed?: 'email' | 'sms'
  /** DOC-4/INV-3: for superusers, the "Admin:" line naming the check of a channel that failed. */
  channelAdminHint?: string | null
  /** `•••• 1234`, the verified phone a texted code goes to. */
  phoneHint?: string | null
  /** WebAuthn request options (JSON) for the key form, when a key is the chosen method. */
  keyOptions?: string | null
  /** OIDC_BUTTON_LABEL, naming the provider for the `oidc` method (LG-9). */
  oidcLabel?: string
  /** LG-8: the user has no method and the trusted proxy names them on this request. */
  proxyEmail?: string | null
  /** For the 5.4 page. */
  none?: { sudoMinutes: number; adminHint: string | null; email: string; otherLogin: boolean }
}

export function ConfirmPage(p: ConfirmPageProps) {
  if (p.methods.length === 0 && p.proxyEmail) return <ProxyConfirm {...p} email={p.proxyEmail} />
  if (p.methods.length === 0 && p.none) return <NoMethods {...p} none={p.none} />
  const link = (m: ReauthMethod) =>
    `/account/confirm?next=${encodeURIComponent(p.next)}&method=${m}`
  return (
    <div class="card" data-reauth-state={p.channelFailed ? 'channel-failed' : 'choose'}>
      <h1>{CONFIRM_TEXT.title}</h1>
      {p.unsaved && <Notice>{CONFIRM_TEXT.unsaved}</Notice>}
      <p>
        To {p.action}, {p.siteName} needs to confirm your identity.
      </p>
      {p.error && <ErrorText>{p.error}</ErrorText>}
      {p.notice && <Notice>{p.notice}</Notice>}
      {p.channelFailed && <p class="error">{channelFailedText(p.channelFailed)}</p>}
      {p.channelFailed && p.channelAdminHint && <p class="hint">{p.channelAdminHint}</p>}
      {p.method && <MethodForm {...p} method={p.method} />}
      {p.methods.filter((m) => m !== p.method).length > 0 && (
        <nav aria-label="Other ways to confirm">
          <h2>Use another method</h2>
          <ul>
            {p.methods
              .filter((m) => m !== p.method)
              .map((m) => (
                <li key={m}>
                  <a href={link(m)}>
                    {m === 'oidc' && p.oidcLabel
                      ? `Sign in again with ${p.oidcLabel}`
                      : METHOD_NAMES[m]}
                  </a>
                  {m === 'sms_code' && <span class="hint"> — {SMS_RISK_LABEL}</span>}
                </li>
              ))}
          </ul>
        </nav>
      )}
    </div>
  )
}

/** A mailed or texted code: "Send code" (RA-8: only this POST sends), then the code itself. */
function CodeForms(props: {
  p: ConfirmPageProps & { method: ReauthMethod }
  send: string
  label: string
  children: ComponentChildren
}) {
  const { p } = props
  return (
    <>
      <form method="post" action={props.send}>
        <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
        <input type="hidden" name="next" value={p.next} />
        {props.children}
        <button type="submit" class="secondary">
          Send code
        </button>
      </form>
      <form method="post" action="/account/confirm">
        <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
        <input type="hidden" name="next" value={p.next} />
        <input type="hidden" name="method" value={p.method} />
        <CodeField id="value" label={props.label} />
        <div class="actions">
          <button type="submit">Confirm</button>
        </div>
      </form>
    </>
  )
}

function MethodForm(p: ConfirmPageProps & { method: ReauthMethod }) {
  const hidden = (
    <>
      <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
      <input type="hidden" name="next" value={p.next} />
      <input type="hidden" name="method" value={p.method} />
    </>
  )
  switch (p.method) {
    case 'password':
      return (
        <form method="post" action="/account/confirm">
          {hidden}
          <label for="value">Password</label>
          <input id="value" name="value" type="password" autocomplete="current-password" required />
          <div class="actions">
            <button type="submit">Confirm</button>
          </div>
        </form>
      )
    case 'totp':
      return (
        <form method="post" action="/account/confirm">
          {hidden}
          <CodeField id="value" label="Code from your authenticator app" pattern="[0-9 ]{6,7}" />
          <div class="actions">
            <button type="submit">Confirm</button>
          </div>
        </form>
      )
    case 'recovery_code':
      return (
        <form method="post" action="/account/confirm">
          {hidden}
          <label for="value">Recovery code</label>
          <input id="value" name="value" type="text" autocomplete="off" required />
          <p class="hint">Each recovery code works once.</p>
          <div class="actions">
            <button type="submit">Confirm</button>
          </div>
        </form>
      )
    case 'email_code':
      return (
        <CodeForms p={p} send="/account/confirm/send-code" label="Code from the email">
          <p>We can email a 6-digit code to your address. It is valid for 10 minutes.</p>
        </CodeForms>
      )
    case 'sms_code':
      return (
        <CodeForms p={p} send="/account/confirm/send-sms" label="Code from the text message">
          <p>
            We can text a 6-digit code to your phone{p.phoneHint ? ` ${p.phoneHint}` : ''}. It is
            valid for 10 minutes.
          </p>
          <p class="hint" data-sms-risk>
            Text messages are {SMS_RISK_LABEL}: prefer your security key, authenticator app or
            password when you can.
          </p>
        </CodeForms>
      )
    case 'oidc':
      return (
        <form method="post" action="/account/confirm/oidc">
          <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
          <input type="hidden" name="next" value={p.next} />
          <p>You will be asked to sign in again at {p.oidcLabel ?? 'your sign-in provider'}.</p>
          <div class="actions">
            <button type="submit">Sign in again with {p.oidcLabel ?? 'single sign-on'}</button>
          </div>
        </form>
      )
    case 'webauthn':
      if (!p.keyOptions) return null
      return (
        <form
          method="post"
          action="/account/confirm/key"
          data-webauthn="authenticate"
          data-options={p.keyOptions}
        >
          <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
          <input type="hidden" name="next" value={p.next} />
          <SecurityKeyPrompt />
        </form>
      )
  }
}

function NoMethods(p: ConfirmPageProps & { none: NonNullable<ConfirmPageProps['none']> }) {
  return (
    <div class="card" data-reauth-state="none">
      <h1>{CONFIRM_TEXT.noneTitle}</h1>
      {p.error && <ErrorText>{p.error}</ErrorText>}
      {p.channelFailed && <p class="error">{channelFailedText(p.channelFailed)}</p>}
      {p.channelFailed && p.channelAdminHint && <p class="hint">{p.channelAdminHint}</p>}
      <p>
        To {p.action}, {p.siteName} needs to confirm your identity. Your account has no password,
        authenticator app, security key or recovery codes, and this server can't send email at the
        moment.
      </p>
      <p>What you can do:</p>
      <ul>
        {p.none.otherLogin && (
          <li>
            Log out and sign in again — for {p.none.sudoMinutes} minutes after signing in you won't
            be asked to confirm.
          </li>
        )}
        <li>
          Ask the administrator of {p.siteName} to fix outgoing email, or to set a password for your
          account (<code>vigil user set-password {p.none.email}</code>).
        </li>
      </ul>
      {p.none.adminHint && <p class="hint">{p.none.adminHint}</p>}
    </div>
  )
}

/** LG-8: a header-auth user with no method of their own continues on the proxy's word. */
function ProxyConfirm(p: ConfirmPageProps & { email: string }) {
  return (
    <div class="card" data-reauth-state="proxy">
      <h1>{CONFIRM_TEXT.title}</h1>
      {p.unsaved && <Notice>{CONFIRM_TEXT.unsaved}</Notice>}
      <p>
        To {p.action}, {p.siteName} needs to confirm your identity. Your sign-in is handled by your
        organisation's proxy, and your account has no password, authenticator app or security key
        here.
      </p>
      {p.error && <ErrorText>{p.error}</ErrorText>}
      <form method="post" action="/account/confirm/proxy">
        <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
        <input type="hidden" name="next" value={p.next} />
        <div class="actions">
          <button type="submit">Continue as {p.email} (signed in by your proxy)</button>
        </div>
      </form>
      <p class="hint">If this isn't you, sign out of your organisation's sign-in page.</p>
    </div>
  )
}
