/** The view of /signup/invitation (invitation-routes.tsx). */
import type { describeInvitation } from '../../projects/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { NewPasswordField } from '../form-fields.js'
import { Layout } from '../layout.js'

export function InvitationPage(props: {
  siteName: string
  csrf: string
  minLength: number
  token: string
  info: Awaited<ReturnType<typeof describeInvitation>>
  /** Why the form is refused or shown again. */
  shownError?: string
}) {
  const { siteName, csrf, minLength, token, info, shownError } = props
  return (
    <Layout siteName={siteName} title="Accept invitation" narrow>
      <div class="card" data-invitation={info.ok ? 'open' : info.error.kind}>
        <h1>Create your account</h1>
        {shownError && (
          <p class="error" role="alert">
            {shownError}
          </p>
        )}
        {info.ok && (
          <form method="post" action="/signup/invitation">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <input type="hidden" name="token" value={token} />
            <p>
              You are invited to the project <strong>{info.value.project.name}</strong>. This
              one-time link creates a new account for <strong>{info.value.email}</strong>.
            </p>
            <NewPasswordField label="Choose a password" minLength={minLength} />
            <div class="actions">
              <button type="submit">Create account</button>
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
