/**
 * The "Sign in with a passkey" form of the log-in page (WA-7). Hidden until the passkey script
 * finds WebAuthn in the browser; it needs no address. Shown only while passkey sign-in works.
 */
import { CSRF_FIELD } from '../csrf.js'

export const PASSKEY_OPTIONS_PATH = '/login/passkey/options'

export function PasskeySignIn({ csrf, next }: { csrf: string; next?: string | null }) {
  return (
    <form
      method="post"
      action="/login/passkey"
      class="passkey-form"
      data-passkey-login={PASSKEY_OPTIONS_PATH}
      hidden
    >
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      {next && <input type="hidden" name="next" value={next} />}
      <input type="hidden" name="response" value="" />
      <p class="error" role="alert" data-webauthn-error hidden />
      <div class="actions">
        <button type="submit" class="secondary">
          Sign in with a passkey
        </button>
      </div>
    </form>
  )
}
