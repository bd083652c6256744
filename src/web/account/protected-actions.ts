/**
 * The pages and forms that need a fresh proof of identity (spec RA-1) and how the confirm page
 * names them. Class D actions remove protection: with 2FA on, only a second factor may confirm
 * them (RA-5). The keys (and the project settings paths) are the allow-list of `next` on
 * /account/confirm (RA-6).
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
  '/account/passkeys': { label: 'add a passkey', downgrade: false },
  '/account/keys/remove': { label: 'remove a security key', downgrade: true },
  '/account/close': { label: 'close your account', downgrade: false },
  // RA-1 "add or verify a phone number": class S. A phone is no second factor (SMS never
  // confirms class D, OOB-4), so removing it takes no protection away.
  '/account/phone': { label: 'add or change your phone number', downgrade: false },
  '/account/phone/remove': { label: 'remove your phone number', downgrade: false },
}

/**
 * Protected pages of a project's settings (RA-1: API keys, ping key, ownership transfer, the
 * 2FA policy, deletion), by the path after `/projects/<uuid>/settings/`. Turning the 2FA
 * policy off is class D.
 */
export const PROJECT_PROTECTED_ACTIONS: Record<string, ProtectedAction> = {
  'api-keys': { label: 'create an API key', downgrade: false },
  'ping-key': { label: 'make a new ping key', downgrade: false },
  transfer: { label: 'transfer the project to someone else', downgrade: false },
  'require-2fa': { label: 'require two-factor authentication in the project', downgrade: false },
  'require-2fa/off': {
    label: 'stop requiring two-factor authentication in the project',
    downgrade: true,
  },
  delete: { label: 'delete the project', downgrade: false },
}

const PROJECT_SETTINGS_PATH =
  /^\/projects\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/settings\/(.+)$/

/** What the confirm page names when `next` is not a protected page (it then returns to /account/security). */
export const DEFAULT_ACTION: ProtectedAction = {
  label: 'change your security settings',
  downgrade: false,
}

/** The protected action at `path` (an account page, or a project settings form), or null. */
export function protectedAction(path: string): ProtectedAction | null {
  if (Object.hasOwn(PROTECTED_ACTIONS, path)) return PROTECTED_ACTIONS[path]
  const m = PROJECT_SETTINGS_PATH.exec(path)
  return m && Object.hasOwn(PROJECT_PROTECTED_ACTIONS, m[1])
    ? PROJECT_PROTECTED_ACTIONS[m[1]]
    : null
}

/** `next` if it is a protected page, else null (never an open redirect). */
export function protectedNext(next: string): string | null {
  return protectedAction(next) ? next : null
}
