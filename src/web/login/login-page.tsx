/**
 * The log-in page: email and password, with one message for every kind of failure, plus "Log in
 * with {provider}" when OIDC is on (LG-9).
 */
import { PASSKEY_LOGIN_SCRIPTS } from '../account/account-scripts.js'
import { CSRF_FIELD } from '../csrf.js'
import { Layout } from '../layout.js'
import { PasskeySignIn } from './passkey-sign-in.js'

export interface LoginPageProps {
  siteName: string
  csrf: string
  email?: string
  error?: string
  /** Show the "Sign up" link (LG-4: only when sign-up can work here). */
  signUp?: boolean
  /** Show "Email me a sign-in link" (LG-2: hidden when mail is unconfigured). */
  emailLinks?: boolean
  /** A notice above the form (e.g. "Check your email"). */
  notice?: string
  /** Local path to open after the log-in (already checked by localNext). */
  next?: string | null
  /** Show "Sign in with a passkey" (WA-7: only while passkey sign-in works here). */
  passkey?: boolean
  /** OIDC_BUTTON_LABEL when OIDC log-in is on (LG-9): shows "Log in with {label}". */
  oidcLabel?: string | null
}

export function LoginPage({
  siteName,
  csrf,
  email = '',
  error,
  signUp,
  emailLinks,
  notice,
  next,
  passkey,
  oidcLabel,
}: LoginPageProps) {
  return (
    <Layout
      siteName={siteName}
      title="Log in"
      narrow
      scripts={passkey ? PASSKEY_LOGIN_SCRIPTS : undefined}
    >
      <div class="card">
        <h1>Log in</h1>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <form method="post" action="/login">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          {next && <input type="hidden" name="next" value={next} />}
          <label for="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value={email}
          />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
          <div class="actions">
            <button type="submit">Log in</button>
          </div>
        </form>
        {passkey && <PasskeySignIn csrf={csrf} next={next} />}
        {oidcLabel && (
          <form method="post" action="/login/oidc" class="oidc-form">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            {next && <input type="hidden" name="next" value={next} />}
            <div class="actions">
              <button type="submit" class="secondary">
                Log in with {oidcLabel}
              </button>
            </div>
          </form>
        )}
        {emailLinks && (
          <form method="post" action="/login/email" class="email-link-form">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <label for="link-email">Or get a sign-in link by email</label>
            <input id="link-email" name="email" type="email" autocomplete="username" required />
            <div class="actions">
              <button type="submit" class="secondary">
                Email me a sign-in link
              </button>
            </div>
          </form>
        )}
        {signUp && (
          <p>
            No account yet? <a href="/signup">Sign up</a>
          </p>
        )}
      </div>
    </Layout>
  )
}

export const LINK_EXPIRED =
  'This sign-in link has expired or was already used. Ask the administrator for a new one.'

/**
 * An operator's one-time link (`vigil user login-link`): only a button, so link previewers and
 * mail scanners cannot use the link up (Healthchecks' interstitial, same reason).
 */
export function LinkSignInPage({
  siteName,
  csrf,
  token,
}: {
  siteName: string
  csrf: string
  token: string
}) {
  return (
    <Layout siteName={siteName} title="Sign in" narrow>
      <div class="card">
        <h1>Sign in</h1>
        <form method="post" action="/login/link">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <input type="hidden" name="token" value={token} />
          <p>This one-time link signs you in to {siteName}.</p>
          <button type="submit">Sign in</button>
        </form>
      </div>
    </Layout>
  )
}
