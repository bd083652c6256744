/** The views of /account/keys, /account/passkeys and /account/keys/remove (key-routes.tsx). */
import { KEY_FAILED_TEXT, KEY_NAME_MAX, type KeyKind } from '../../accounts/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { ErrorText, Notice } from './account-page.js'

export const KEY_TEXT = {
  disabled: "Security keys can't be used on this server right now.",
  registerFailed: KEY_FAILED_TEXT,
  badName: `Give the key a name of 1 to ${KEY_NAME_MAX} characters.`,
  expired: 'The request took too long. Try again.',
  duplicate: 'That security key is already registered.',
  passkeyDisabled: "Passkey sign-in isn't available on this server.",
  notAPasskey:
    "That key didn't create a passkey: it has to store the credential and check your PIN, fingerprint or face. Try another key, or add this one as a security key.",
} as const

/** The wording of each kind's pages. */
export const KIND_TEXT = {
  key: {
    path: '/account/keys',
    title: 'Add security key',
    label: 'Name of the key',
    placeholder: 'e.g. YubiKey on my keyring',
    added: 'Security key added',
    addedNotice: 'You will be asked for a security key when you log in.',
  },
  passkey: {
    path: '/account/passkeys',
    title: 'Add a passkey',
    label: 'Name of the passkey',
    placeholder: 'e.g. Laptop fingerprint',
    added: 'Passkey added',
    addedNotice:
      'You can now sign in with it alone ("Sign in with a passkey"). It also works as a security key after your password.',
  },
} as const

/** Adding a key or passkey: the form the browser ceremony fills (account-scripts.ts). */
export function AddKeyPage(props: {
  csrf: string
  kind: KeyKind
  error?: string
  name: string
  /** The registration options for the browser, or why keys cannot be added here. */
  options: { ok: true; value: unknown } | { ok: false }
}) {
  const { csrf, kind, error, name, options } = props
  const text = KIND_TEXT[kind]
  return (
    <div class="card">
      <h1>{text.title}</h1>
      {error && <ErrorText>{error}</ErrorText>}
      {options.ok ? (
        <form
          method="post"
          action={text.path}
          data-webauthn="register"
          data-options={JSON.stringify(options.value)}
        >
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <input type="hidden" name="response" value="" />
          {kind === 'passkey' && (
            <p class="hint">
              A passkey lets you sign in without your email and password. Your browser or key will
              ask for your PIN, fingerprint or face.
            </p>
          )}
          <label for="name">{text.label}</label>
          <input
            id="name"
            name="name"
            type="text"
            maxLength={KEY_NAME_MAX}
            value={name}
            placeholder={text.placeholder}
            required
          />
          <p class="error" role="alert" data-webauthn-error hidden />
          <div class="actions">
            <button type="submit">{text.title}</button>
          </div>
        </form>
      ) : (
        <p data-webauthn-disabled>
          {kind === 'passkey' ? KEY_TEXT.passkeyDisabled : KEY_TEXT.disabled}
        </p>
      )}
    </div>
  )
}

/** Renaming and removing keys (WA-6 warns before the last second factor goes). */
export function KeyListPage(props: {
  csrf: string
  keys: { id: number; name: string }[]
  lastFactor: boolean
  message?: string
}) {
  const { csrf, keys, lastFactor, message } = props
  return (
    <div class="card">
      <h1>Security keys</h1>
      {message && <Notice>{message}</Notice>}
      {keys.length === 0 && <p>No security keys.</p>}
      {lastFactor && (
        <p class="error">
          This is your last second factor: removing it turns two-factor authentication off and
          deletes your recovery codes.
        </p>
      )}
      {keys.map((k) => (
        <div key={k.id} class="key-row" data-key-name={k.name}>
          <form method="post" action="/account/keys/rename">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <input type="hidden" name="key" value={String(k.id)} />
            <label for={`name-${k.id}`}>Name</label>
            <input
              id={`name-${k.id}`}
              name="name"
              type="text"
              maxLength={KEY_NAME_MAX}
              value={k.name}
              required
            />
            <button type="submit" class="secondary">
              Rename
            </button>
          </form>
          <form method="post" action="/account/keys/remove">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <input type="hidden" name="key" value={String(k.id)} />
            <button type="submit">Remove {k.name}</button>
          </form>
        </div>
      ))}
      <p>
        <a href="/account/security">Back to account security</a>
      </p>
    </div>
  )
}

/** A name that is empty or too long. */
export function BadKeyNamePage({ back }: { back: string }) {
  return (
    <div class="card">
      <h1>Security keys</h1>
      <ErrorText>{KEY_TEXT.badName}</ErrorText>
      <p>
        <a href={back}>Back</a>
      </p>
    </div>
  )
}
