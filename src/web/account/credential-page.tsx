/** The views of /account/password and /account/email (credential-routes.tsx). */
import { CSRF_FIELD } from '../csrf.js'
import { NewPasswordField } from '../form-fields.js'
import { ErrorText, Notice } from './account-page.js'

export function PasswordPage(props: {
  csrf: string
  title: string
  hasPassword: boolean
  minLength: number
  error?: string
}) {
  const { csrf, title, hasPassword, minLength, error } = props
  return (
    <div class="card">
      <h1>{title}</h1>
      {error && <ErrorText>{error}</ErrorText>}
      <form method="post" action="/account/password">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        {hasPassword && (
          <>
            <label for="current">Current password</label>
            <input
              id="current"
              name="current"
              type="password"
              autocomplete="current-password"
              required
            />
          </>
        )}
        <NewPasswordField label="New password" minLength={minLength} />
        <p class="hint">
          At least {minLength} characters; 15 or more is better. Your other sessions will be signed
          out.
        </p>
        <div class="actions">
          <button type="submit">{title}</button>
        </div>
      </form>
    </div>
  )
}

export function EmailPage(props: { csrf: string; email: string; error?: string }) {
  const { csrf, email, error } = props
  return (
    <div class="card">
      <h1>Change email</h1>
      {error && <ErrorText>{error}</ErrorText>}
      <p>Current address: {email}</p>
      <form method="post" action="/account/email">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <label for="email">New email address</label>
        <input id="email" name="email" type="email" autocomplete="email" required />
        <div class="actions">
          <button type="submit">Change email</button>
        </div>
      </form>
    </div>
  )
}

export function DonePage(props: { title: string; lines: string[] }) {
  const { title, lines } = props
  return (
    <div class="card">
      <h1>{title}</h1>
      {lines.filter(Boolean).map((l) => (
        <Notice key={l}>{l}</Notice>
      ))}
      <p>
        <a href="/account/security">Back to account security</a>
      </p>
    </div>
  )
}
