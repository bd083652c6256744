/**
 * Fields several pages ask for alike, so their autocomplete hints and limits stay the same
 * everywhere: a one-time code (TOTP, texted or mailed codes), a new password, and the security-key
 * prompt of a WebAuthn form. Views only.
 */
import type { ComponentChildren } from 'preact'

/** A labelled one-time code input (numeric keyboard, the browser may fill it in). */
export function CodeField(p: {
  label: ComponentChildren
  /** The input's id and name; `code` unless the form posts it as something else. */
  id?: string
  pattern?: string
}) {
  const id = p.id ?? 'code'
  return (
    <>
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={id}
        type="text"
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern={p.pattern}
        required
      />
    </>
  )
}

/** A labelled new-password input (`password`) of at least `minLength` characters. */
export function NewPasswordField(p: { label: string; minLength: number }) {
  return (
    <>
      <label for="password">{p.label}</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="new-password"
        minLength={p.minLength}
        required
      />
    </>
  )
}

/**
 * The inside of a security-key form (`data-webauthn="authenticate"`): the client script puts the
 * authenticator's answer into `response`, or its error into the alert, then submits.
 */
export function SecurityKeyPrompt() {
  return (
    <>
      <input type="hidden" name="response" value="" />
      <p>Insert or touch your security key when your browser asks.</p>
      <p class="error" role="alert" data-webauthn-error hidden />
      <div class="actions">
        <button type="submit">Use security key</button>
      </div>
    </>
  )
}
