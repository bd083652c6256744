/** The views of /account/phone (phone-routes.tsx). */
import { CSRF_FIELD } from '../csrf.js'
import { CodeField } from '../form-fields.js'
import { ErrorText, Notice } from './account-page.js'
import { SMS_RISK_LABEL } from './confirm-page.js'

export const PHONE_TEXT = {
  title: 'Phone for confirmation codes',
  cantSend:
    "We couldn't send the code because this server can't send text messages right now. Your phone number was not changed.",
  unavailable: "This server can't send text messages right now.",
  badNumber: "We couldn't text that number. Check it and try again.",
  wrongCode: "That code didn't match the one we texted. Try again.",
  expired: 'That code has expired or was replaced. Send a new code.',
} as const

export interface PhoneShown {
  error?: string
  notice?: string
  /** A number that was sent a code and waits for it (E.164). */
  pending?: string
  /** What the user typed, kept in the field after a mistake. */
  typed?: string
}

/** The confirmation before the number is removed. */
export function RemovePhoneCard({ csrf }: { csrf: string }) {
  return (
    <div class="card">
      <h1>Remove phone number</h1>
      <p>After this, we will no longer offer to text you a code to confirm it's you.</p>
      <form method="post" action="/account/phone/remove">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button type="submit">Remove phone number</button>
      </form>
    </div>
  )
}

export function PhonePage(props: {
  csrf: string
  shown: PhoneShown
  siteName: string
  masked: string | null
  verifiedOn: string
  pendingMasked: string
  canText: boolean
}) {
  const { csrf, shown, siteName, masked, verifiedOn, pendingMasked, canText } = props
  return (
    <div class="card" data-phone-state={shown.pending ? 'pending' : masked ? 'verified' : 'none'}>
      <h1>{PHONE_TEXT.title}</h1>
      {shown.error && <ErrorText>{shown.error}</ErrorText>}
      {shown.notice && <Notice>{shown.notice}</Notice>}
      <p>
        {siteName} can text you a code to confirm it's you before a sensitive change. Text messages
        are <strong data-sms-risk>{SMS_RISK_LABEL}</strong>: your security key, authenticator app or
        password are safer. A phone is never used to log in or to remove protection from your
        account.
      </p>
      {masked && (
        <p data-phone={masked}>
          Your phone: {masked}, verified {verifiedOn}.{' '}
          <a href="/account/phone/remove">Remove phone number</a>
        </p>
      )}
      {!canText && <Notice>{PHONE_TEXT.unavailable}</Notice>}
      {canText && shown.pending && (
        <>
          <form method="post" action="/account/phone/verify">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <input type="hidden" name="phone" value={shown.pending} />
            <CodeField label={`Code we texted to ${pendingMasked}`} />
            <div class="actions">
              <button type="submit">Verify phone number</button>
            </div>
          </form>
          <form method="post" action="/account/phone">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <input type="hidden" name="phone" value={shown.pending} />
            <button type="submit" class="secondary">
              Send a new code
            </button>
          </form>
        </>
      )}
      {canText && !shown.pending && (
        <form method="post" action="/account/phone">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <label for="phone">{masked ? 'New phone number' : 'Phone number'}</label>
          <input
            id="phone"
            name="phone"
            type="tel"
            autocomplete="tel"
            placeholder="+14155550123"
            value={shown.typed ?? ''}
            required
          />
          <p class="hint">
            International format: + and the country code. We text a 6-digit code to check it.
          </p>
          <div class="actions">
            <button type="submit">Text me a code</button>
          </div>
        </form>
      )}
      <p>
        <a href="/account/security">Back to account security</a>
      </p>
    </div>
  )
}
