/**
 * The first-run page: shown at `/` while the instance has no user, it creates the owner account.
 * Needs no email, so a fresh install without SMTP can be set up from the browser.
 */
import { CSRF_FIELD } from '../csrf.js'
import { Layout } from '../layout.js'

export interface FirstRunPageProps {
  siteName: string
  csrf: string
  /** PASSWORD_MIN_LENGTH (LG-1). */
  minLength: number
  /** Ask for the setup code: the visitor is not on this machine (issue 11). */
  codeRequired?: boolean
  email?: string
  error?: string
}

export function FirstRunPage({
  siteName,
  csrf,
  minLength,
  codeRequired = false,
  email = '',
  error,
}: FirstRunPageProps) {
  return (
    <Layout siteName={siteName} title="Create the owner account" narrow>
      <div class="card">
        <h1>Create the owner account</h1>
        <p class="muted">
          Welcome to {siteName}. This account owns the instance and can manage every user and
          project.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <form method="post" action="/">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          {codeRequired && (
            <>
              <label for="setup-code">Setup code</label>
              <input
                id="setup-code"
                name="setup_code"
                type="text"
                autocomplete="off"
                spellcheck={false}
                required
                aria-describedby="setup-code-hint"
              />
              <p id="setup-code-hint" class="hint">
                You are not on the server itself, so prove you run it: the code is in the server's
                start-up log, and <code>vigil setup-code</code> prints it.
              </p>
            </>
          )}
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" required value={email} />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minLength={minLength}
            aria-describedby="password-hint"
          />
          <p id="password-hint" class="hint">
            At least {minLength} characters; 15 or more is better.
          </p>
          <label for="password-confirm">Password again</label>
          <input
            id="password-confirm"
            name="password_confirm"
            type="password"
            autocomplete="new-password"
            required
            minLength={minLength}
          />
          <div class="actions">
            <button type="submit">Create account</button>
          </div>
        </form>
      </div>
    </Layout>
  )
}
