/**
 * The scripts of the account pages, served by Vigil (the CSP allows no inline or third-party
 * scripts): @simplewebauthn/browser's UMD bundle, and a small driver that runs a ceremony when a
 * `form[data-webauthn]` is submitted, puts the authenticator's JSON answer in the form's
 * `response` field and submits it. Errors are shown as text in `[data-webauthn-error]`.
 * Everything else on these pages works without scripts. The log-in page's passkey form (WA-7)
 * has its own driver: it stays hidden unless the browser can use passkeys.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

function hashed(name: string, body: string): { path: string; body: string } {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12)
  return { path: `/static/${name}.${hash}.js`, body }
}

function simpleWebauthnBundle(): string {
  // The package exports only its modules; its root is two levels above the CommonJS entry.
  const entry = require.resolve('@simplewebauthn/browser')
  return readFileSync(join(dirname(entry), '..', 'dist/bundle/index.umd.min.js'), 'utf8')
}

const WEBAUTHN_DRIVER = `'use strict'
;(function () {
  var form = document.querySelector('form[data-webauthn]')
  if (!form) return
  var W = window.SimpleWebAuthnBrowser
  var errorBox = form.querySelector('[data-webauthn-error]')
  function fail(text) {
    if (errorBox) {
      errorBox.textContent = text
      errorBox.hidden = false
    }
  }
  if (!W || !W.browserSupportsWebAuthn()) {
    fail('This browser cannot use security keys. Choose another method.')
    return
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault()
    var options = JSON.parse(form.getAttribute('data-options') || '{}')
    var ceremony = form.getAttribute('data-webauthn') === 'register'
      ? W.startRegistration({ optionsJSON: options })
      : W.startAuthentication({ optionsJSON: options })
    ceremony
      .then(function (answer) {
        form.querySelector('input[name=response]').value = JSON.stringify(answer)
        form.submit()
      })
      .catch(function () {
        fail('The security key did not answer, or the request was cancelled. Try again.')
      })
  })
})()
`

/**
 * "Sign in with a passkey" (WA-7): `form[data-passkey-login="<options URL>"]` is shown when the
 * browser supports WebAuthn. On submit it POSTs the form's CSRF field to the options URL (which
 * sets the browser-bound cookie and answers `{ options }` or `{ error }`), runs the ceremony and
 * submits the answer in `response`.
 */
const PASSKEY_LOGIN_DRIVER = `'use strict'
;(function () {
  var form = document.querySelector('form[data-passkey-login]')
  if (!form) return
  var W = window.SimpleWebAuthnBrowser
  if (!W || !W.browserSupportsWebAuthn()) return
  form.hidden = false
  var errorBox = form.querySelector('[data-webauthn-error]')
  function fail(text) {
    if (errorBox) {
      errorBox.textContent = text
      errorBox.hidden = false
    }
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault()
    var body = new URLSearchParams()
    body.set('csrf', form.querySelector('input[name=csrf]').value)
    fetch(form.getAttribute('data-passkey-login'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })
      .then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, data: data } })
      })
      .then(function (res) {
        if (!res.ok || !res.data.options) {
          fail(res.data.error || 'Passkey sign-in failed. Reload the page and try again.')
          return
        }
        return W.startAuthentication({ optionsJSON: res.data.options }).then(
          function (answer) {
            form.querySelector('input[name=response]').value = JSON.stringify(answer)
            form.submit()
          },
          function () {
            fail('The passkey did not answer, or the request was cancelled. Try again.')
          },
        )
      })
      .catch(function () {
        fail('Passkey sign-in failed. Reload the page and try again.')
      })
  })
})()
`

export const SIMPLEWEBAUTHN_SCRIPT = hashed('simplewebauthn-browser', simpleWebauthnBundle())
export const WEBAUTHN_SCRIPT = hashed('webauthn', WEBAUTHN_DRIVER)
/** Both, in load order (deferred scripts run in document order). */
export const KEY_SCRIPTS = [SIMPLEWEBAUTHN_SCRIPT.path, WEBAUTHN_SCRIPT.path]
export const PASSKEY_LOGIN_SCRIPT = hashed('passkey-login', PASSKEY_LOGIN_DRIVER)
/** The log-in page's scripts when passkey sign-in is on, in load order. */
export const PASSKEY_LOGIN_SCRIPTS = [SIMPLEWEBAUTHN_SCRIPT.path, PASSKEY_LOGIN_SCRIPT.path]
export const ACCOUNT_SCRIPTS = [SIMPLEWEBAUTHN_SCRIPT, WEBAUTHN_SCRIPT, PASSKEY_LOGIN_SCRIPT]
