/**
 * The second log-in step (spec LG-3): a code from the authenticator app, a recovery code or a
 * security key, with links to switch between them, and the WA-5 explanation when none can work.
 */
import type { ReauthMethod } from '../../accounts/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { CodeField, SecurityKeyPrompt } from '../form-fields.js'
import { Layout } from '../layout.js'

export const SECOND_STEP_TEXT = {
  title: 'Two-factor authentication',
  keyUnusable:
    "Your security key can't be used on this server right now (its WebAuthn settings changed). Use a recovery code or ask the administrator.",
  timedOut: 'Your sign-in timed out. Please start again.',
} as const

export interface SecondStepPageProps {
  siteName: string
  csrf: string
  methods: ReauthMethod[]
  method: ReauthMethod | null
  error?: string
  /** WebAuthn request options (JSON) when the key is the chosen method. */
  keyOptions?: string | null
  /** Script URLs of the key ceremony. */
  scripts?: string[]
}

const SWITCH_TEXT: Partial<Record<ReauthMethod, string>> = {
  totp: 'Use your authenticator app',
  recovery_code: 'Use a recovery code',
  webauthn: 'Use your security key',
}

export function SecondStepPage({
  siteName,
  csrf,
  methods,
  method,
  error,
  keyOptions,
  scripts,
}: SecondStepPageProps) {
  return (
    <Layout siteName={siteName} title={SECOND_STEP_TEXT.title} narrow scripts={scripts}>
      <div class="card" data-second-step={method ?? 'none'}>
        <h1>{SECOND_STEP_TEXT.title}</h1>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {method === null && <p>{SECOND_STEP_TEXT.keyUnusable}</p>}
        {method === 'webauthn' && keyOptions && (
          <form
            method="post"
            action="/login/second-step"
            data-webauthn="authenticate"
            data-options={keyOptions}
          >
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <input type="hidden" name="method" value="webauthn" />
            <SecurityKeyPrompt />
          </form>
        )}
        {method === 'totp' && (
          <form method="post" action="/login/second-step">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <input type="hidden" name="method" value="totp" />
            <CodeField label="Code from your authenticator app" />
            <div class="actions">
              <button type="submit">Verify</button>
            </div>
          </form>
        )}
        {method === 'recovery_code' && (
          <form method="post" action="/login/second-step">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <input type="hidden" name="method" value="recovery_code" />
            <label for="code">Recovery code</label>
            <input id="code" name="code" type="text" autocomplete="off" required />
            <div class="actions">
              <button type="submit">Verify</button>
            </div>
          </form>
        )}
        <ul>
          {methods
            .filter((m) => m !== method && SWITCH_TEXT[m])
            .map((m) => (
              <li key={m}>
                <a href={`/login/second-step?method=${m}`}>{SWITCH_TEXT[m]}</a>
              </li>
            ))}
        </ul>
      </div>
    </Layout>
  )
}
