/**
 * The accounts feature as other features see it: everything outside src/accounts/ imports from
 * here, never from a module inside. Named exports only, each one used elsewhere.
 */

export { recordRateLimitBlock } from './audit/rate-limit-audit.js'
export {
  listAllSecurityEvents,
  listProjectSecurityEvents,
  listSecurityEvents,
  pruneSecurityEvents,
  type RequestMeta,
  recordSecurityEvent,
  summariseUserAgent,
} from './audit/security-events.js'
export { NOT_EMAILED, notifySecurityChange } from './audit/security-notifications.js'
export { maskEmail, sendReauthCode } from './codes/reauth-code.js'
export {
  recordTwilioCredentials,
  smsCapability,
  smsReauthConfigured,
} from './codes/sms-capability.js'
export { sendSmsCode } from './codes/sms-code.js'
export { availableReauthMethods, loadFactors } from './factors/factors.js'
export {
  maskPhoneNumber,
  PHONE_INVALID_TEXT,
  parsePhoneNumber,
} from './factors/phone/phone-number.js'
export {
  confirmPhoneVerification,
  removePhone,
  startPhoneVerification,
  verifiedPhone,
} from './factors/phone/phone-numbers.js'
export { recoveryCodeStatus } from './factors/recovery-codes/recovery-codes.js'
export { regenerateRecoveryCodes } from './factors/recovery-codes/regenerate-recovery-codes.js'
export { sealSecret, secretBoxKey } from './factors/secret-box.js'
export {
  completeSecondStepWithKey,
  enterSudoWithKey,
  loginKeyOptions,
  sudoKeyOptions,
} from './factors/security-keys/confirm-with-key.js'
export {
  finishKeyRegistration,
  KEY_FAILED_TEXT,
  KEY_NAME_MAX,
  type KeyAssertionError,
  type KeyKind,
  listSecurityKeys,
  type RegisterKeyError,
  removeSecurityKey,
  renameSecurityKey,
  startKeyRegistration,
} from './factors/security-keys/security-keys.js'
export {
  passkeyLoginCapability,
  webauthnCapability,
} from './factors/security-keys/webauthn-capability.js'
export { confirmTotpEnrolment, startTotpEnrolment } from './factors/totp/enable-totp.js'
export { removeTotp } from './factors/totp/remove-totp.js'
export { groupSecret } from './factors/totp/totp.js'
export {
  confirmThroughProxy,
  headerIdentity,
  isTrustedPeer,
  logInFromHeader,
  mayConfirmThroughProxy,
} from './login/header-auth.js'
export { logIn } from './login/log-in.js'
export { DEFAULT_LOGIN_LINK_TTL_MS, issueLoginLink, logInWithLink } from './login/login-links.js'
export { type LoginSessionStart, startLoginSession } from './login/login-session.js'
export {
  logInWithPasskey,
  PASSKEY_COOKIE,
  PASSKEY_COOKIE_TTL_MS,
  type PasskeyLoginError,
  startPasskeyLogin,
} from './login/passkey-login.js'
export {
  completeSecondStep,
  type LoggedInFully,
  loadPendingLogin,
  PENDING_COOKIE,
  PENDING_LOGIN_TTL_MS,
  secondStepMethods,
} from './login/pending-logins.js'
export { waitMinutesText } from './login/sign-in-mail-limits.js'
export { requestSignInLink, SIGN_UP_TEXT, signUp, signUpMode } from './login/sign-up.js'
export { probeProvider, providerFormOrigins } from './oidc/oidc-client.js'
export { issuerVariants } from './oidc/oidc-identities.js'
export {
  finishOidc,
  OIDC_COOKIE,
  OIDC_FLOW_TTL_MS,
  type OidcCallbackError,
  type OidcStartError,
  startOidcLogin,
  startOidcReauth,
} from './oidc/oidc-login.js'
export { BREACHED_CLI_TEXT, BREACHED_PASSWORD_TEXT } from './passwords/breached-passwords.js'
export { changePassword } from './passwords/change-password.js'
export type { PasswordProblem } from './passwords/passwords.js'
export { revokeAllSessions, revokeSession, revokeUserSessions } from './sessions/revoke-sessions.js'
export {
  createSession,
  deleteSession,
  isSecureSite,
  listSessions,
  type Session,
  sessionCookieName,
  sessionCookieOptions,
  validateSessionToken,
} from './sessions/sessions.js'
export { type EnterSudoError, enterSudoMode, grantCoversDowngrade } from './sudo/enter-sudo-mode.js'
export { hasSecondFactor, isSudoActive, type ReauthMethod } from './sudo/reauth-methods.js'
export { confirmEmailChange, requestEmailChange } from './users/change-email.js'
export { closeAccount } from './users/close-account.js'
export {
  type CreateUserError,
  countUsers,
  createUser,
  findUserByEmail,
  isEmailAddress,
  normalizeEmail,
} from './users/create-user.js'
export {
  findUserForOperator,
  OPERATOR_META,
  resetTwoFactor,
  setPasswordByOperator,
} from './users/operator-recovery.js'
export { checkSetupCode, firstRunSetupCode } from './users/setup-code.js'
export { findReportsUnsubscribeUser, unsubscribeReports } from './users/unsubscribe-reports.js'
export { type ProfileError, updateProfile } from './users/update-profile.js'
