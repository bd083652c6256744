/** The log-in page: email and password, with one message for every kind of failure. */
import { CSRF_FIELD } from '../csrf.js'
import { Layout } from '../layout.js'

export interface LoginPageProps {
  siteName: string
  csrf: string
  email?: string
  error?: string
}

export function LoginPage({ siteName, csrf, email = '', error }: LoginPageProps) {
  return (
    <Layout siteName={siteName} title="Log in" narrow>
      <div class="card">
        <h1>Log in</h1>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <form method="post" action="/login">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
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
      </div>
    </Layout>
  )
}
