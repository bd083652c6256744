/**
 * Which ways of confirming identity a user has right now (spec RA-4, RA-5): pure, from the user's
 * factors and the server's capabilities. Healthchecks only ever e-mails a code (its
 * `require_sudo_mode`), which is the dead end without SMTP this list exists to avoid.
 */

export type ReauthMethod =
  | 'webauthn'
  | 'totp'
  | 'recovery_code'
  | 'password'
  | 'email_code'
  | 'sms_code'
  /** Signing in again at the OIDC provider (LG-9); not a second factor, so never class D (RA-5). */
  | 'oidc'

/** The second factors: those that may confirm a downgrade (RA-5) and complete a log-in (LG-3). */
export const SECOND_FACTOR_METHODS: readonly ReauthMethod[] = ['webauthn', 'totp', 'recovery_code']

export interface UserFactors {
  password: boolean
  totp: boolean
  /** Unused recovery codes. */
  recoveryCodes: number
  /** Security keys registered for the current relying party. */
  webauthnKeys: number
  /** Keys registered under another RP ID (the domain changed): unusable here (WA-5). */
  otherRpKeys: number
  /** A phone proven by a texted code (OOB-4); not a second factor. */
  verifiedPhone?: boolean
  /** An identity at the configured OIDC provider, while OIDC is on (LG-9). */
  oidc?: boolean
}

export interface ReauthCapabilities {
  /** canSendMail(config). */
  mailCanGo: boolean
  /** The WebAuthn capability (WA-1). */
  webauthnEnabled: boolean
  emailCodeMode: 'fallback_only' | 'always'
  /** The `sms` capability: SMS_REAUTH_ENABLED, Twilio configured and not rejected (sms-capability.ts). */
  smsCanGo?: boolean
  /** The action removes protection (class D, RA-1). */
  downgrade: boolean
}

/** True when the user has a second factor enrolled (TOTP or a key). */
export function hasSecondFactor(f: UserFactors): boolean {
  return f.totp || f.webauthnKeys > 0
}

/**
 * True when a password alone must not open a session: any second factor is enrolled, even one
 * that cannot work on this server right now (WA-5 then offers the others or explains).
 */
export function needsSecondStep(f: UserFactors): boolean {
  return f.totp || f.webauthnKeys > 0 || f.otherRpKeys > 0 || f.recoveryCodes > 0
}

/** The methods, in the order the confirm page offers them (RA-4). */
export function reauthMethods(f: UserFactors, cap: ReauthCapabilities): ReauthMethod[] {
  const methods: ReauthMethod[] = []
  if (f.webauthnKeys > 0 && cap.webauthnEnabled) methods.push('webauthn')
  if (f.totp) methods.push('totp')
  if (f.recoveryCodes > 0) methods.push('recovery_code')
  if (f.password) methods.push('password')
  if (f.oidc) methods.push('oidc')
  const onlyChannel = !f.password && !f.totp && f.webauthnKeys === 0
  if (cap.mailCanGo && (onlyChannel || cap.emailCodeMode === 'always')) methods.push('email_code')
  // SMS never confirms a class D action, 2FA on or not (OOB-4).
  if (cap.smsCanGo && f.verifiedPhone && !cap.downgrade) methods.push('sms_code')
  // Downgrade protection: with 2FA on, only a second factor may remove protection (RA-5).
  if (cap.downgrade && hasSecondFactor(f))
    return methods.filter((m) => SECOND_FACTOR_METHODS.includes(m))
  return methods
}

/** True while a sudo grant made at `reauthAt` is still good (absolute window, RA-2). */
export function isSudoActive(reauthAt: number | null, now: number, ttlSeconds: number): boolean {
  return reauthAt !== null && now >= reauthAt && now - reauthAt <= ttlSeconds * 1000
}
