/**
 * The pages and forms that need a fresh proof of identity (spec RA-1) and how the confirm page
 * names them. Class D actions remove protection: with 2FA on, only a second factor may confirm
 * them (RA-5). The keys double as the allow-list of `next` on /account/confirm (RA-6).
 */

export interface ProtectedAction {
  /** Completes "To {label}, {site} needs to confirm your identity." */
  label: string
  downgrade: boolean
}

export const PROTECTED_ACTIONS: Record<string, ProtectedAction> = {
  '/account/totp': { label: 'set up an authenticator app', downgrade: false },
  '/account/totp/remove': { label: 'remove the authenticator app', downgrade: true },
  '/account/recovery-codes': { label: 'make new recovery codes', downgrade: false },
  '/account/password': { label: 'change your password', downgrade: false },
  // Changing the address while 2FA is on is class D: it redirects account recovery (RA-1).
  '/account/email': { label: 'change your email address', downgrade: true },
  '/account/sessions': { label: 'sign out your other sessions', downgrade: false },
  '/account/keys': { label: 'add a security key', downgrade: false },
  '/account/keys/remove': { label: 'remove a security key', downgrade: true },
  '/account/close': { label: 'close your account', downgrade: false },
}

/** `next` if it is a protected page, else null (never an open redirect). */
export function protectedNext(next: string): string | null {
  return Object.hasOwn(PROTECTED_ACTIONS, next) ? next : null
}
