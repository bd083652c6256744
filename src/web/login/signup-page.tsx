/** The view of /signup (signup-routes.tsx). */
import { CSRF_FIELD } from '../csrf.js'
import { NewPasswordField } from '../form-fields.js'
import { Layout } from '../layout.js'

export function SignUpPage(props: {
  siteName: string
  csrf: string
  minLength: number
  mode: 'link' | 'password' | 'closed'
  message?: { error?: string; notice?: string }
}) {
  const { siteName, csrf, minLength, mode, message } = props
  return (
    <Layout siteName={siteName} title="Sign up" narrow>
      <div class="card" data-signup={mode}>
        <h1>Sign up</h1>
        {message?.error && (
          <p class="error" role="alert">
            {message.error}
          </p>
        )}
        {message?.notice && (
          <p class="notice" role="status">
            {message.notice}
          </p>
        )}
        {mode !== 'closed' && !message?.notice && (
          <form method="post" action="/signup">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <label for="email">Email</label>
            <input id="email" name="email" type="email" autocomplete="username" required />
            {mode === 'password' && <NewPasswordField label="Password" minLength={minLength} />}
            <div class="actions">
              <button type="submit">Sign up</button>
            </div>
          </form>
        )}
        <p>
          <a href="/login">Log in</a>
        </p>
      </div>
    </Layout>
  )
}
