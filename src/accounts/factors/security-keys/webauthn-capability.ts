/**
 * Whether security keys can work on this server (spec WA-1, doctor WEBAUTHN-001/003): the RP ID
 * must be the SITE_ROOT host or a parent domain of it, and the site must be https (or localhost).
 * Pure; Healthchecks takes RP_ID on trust and fails in the browser instead. Passkey sign-in
 * (WA-7) needs this plus PASSKEY_LOGIN.
 */
import type { Config } from '../../../config/index.js'

export type WebauthnCapability = { enabled: true } | { enabled: false; reason: string }

export function webauthnCapability(
  config: Pick<Config, 'siteRoot' | 'accounts'>,
): WebauthnCapability {
  const site = new URL(config.siteRoot)
  const host = site.hostname
  const rpId = config.accounts.webauthnRpId
  if (rpId !== host && !host.endsWith(`.${rpId}`))
    return {
      enabled: false,
      reason: `WEBAUTHN_RP_ID ${rpId} does not match the SITE_ROOT host ${host}`,
    }
  if (!rpId.includes('.') && rpId !== 'localhost')
    return { enabled: false, reason: `WEBAUTHN_RP_ID ${rpId} is not a registrable domain` }
  if (site.protocol !== 'https:' && host !== 'localhost')
    return { enabled: false, reason: 'security keys need SITE_ROOT on https (or localhost)' }
  return { enabled: true }
}

/**
 * Whether passkeys can sign in on their own here (WA-7): PASSKEY_LOGIN is on and security keys
 * work at all. The log-in page, the "Add a passkey" link and the passkey routes all ask this.
 */
export function passkeyLoginCapability(
  config: Pick<Config, 'siteRoot' | 'accounts'>,
): WebauthnCapability {
  if (!config.accounts.passkeyLogin)
    return { enabled: false, reason: 'passkey sign-in is off (PASSKEY_LOGIN)' }
  return webauthnCapability(config)
}
