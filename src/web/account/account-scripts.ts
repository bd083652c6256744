/**
 * The scripts of the account pages, served by Vigil (the CSP allows no inline or third-party
 * scripts): @simplewebauthn/browser's UMD bundle, and a small driver that runs a ceremony when a
 * `form[data-webauthn]` is submitted, puts the authenticator's JSON answer in the form's
 * `response` field and submits it. Errors are shown as text in `[data-webauthn-error]`.
 * Everything else on these pages works without scripts.
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

export const SIMPLEWEBAUTHN_SCRIPT = hashed('simplewebauthn-browser', simpleWebauthnBundle())
export const WEBAUTHN_SCRIPT = hashed('webauthn', WEBAUTHN_DRIVER)
/** Both, in load order (deferred scripts run in document order). */
export const KEY_SCRIPTS = [SIMPLEWEBAUTHN_SCRIPT.path, WEBAUTHN_SCRIPT.path]
export const ACCOUNT_SCRIPTS = [SIMPLEWEBAUTHN_SCRIPT, WEBAUTHN_SCRIPT]
