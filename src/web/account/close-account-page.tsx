/** The views of /account/close (close-account-routes.tsx). */
import { CSRF_FIELD } from '../csrf.js'
import { Layout } from '../layout.js'
import { ErrorText } from './account-page.js'

export function CloseAccountPage(props: { csrf: string; error?: string }) {
  const { csrf, error } = props
  return (
    <div class="card">
      <h1>Close account</h1>
      {error && <ErrorText>{error}</ErrorText>}
      <p>
        This deletes your account, every project you own with its checks and integrations, and signs
        you out everywhere. It cannot be undone.
      </p>
      <form method="post" action="/account/close">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <label for="email">Type your email address to confirm</label>
        <input id="email" name="email" type="email" autocomplete="off" required />
        <div class="actions">
          <button type="submit" class="danger">
            Close my account
          </button>
        </div>
      </form>
    </div>
  )
}

/** What a visitor sees once the account is gone (no longer logged in). */
export function AccountClosedPage({ siteName }: { siteName: string }) {
  return (
    <Layout siteName={siteName} title="Account closed" narrow>
      <div class="card" data-account-closed>
        <h1>Account closed</h1>
        <p>Your account and its projects were deleted.</p>
      </div>
    </Layout>
  )
}
