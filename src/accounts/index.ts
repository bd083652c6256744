/**
 * The accounts feature as other features see it: everything outside src/accounts/ imports from
 * here, never from a module inside. Named exports only, each one used elsewhere.
 */
export { BREACHED_CLI_TEXT, BREACHED_PASSWORD_TEXT } from './breached-passwords.js'
export { confirmEmailChange, requestEmailChange } from './change-email.js'
export { changePassword } from './change-password.js'
export { closeAccount } from './close-account.js'
export {
  completeSecondStepWithKey,
  enterSudoWithKey,
  loginKeyOptions,
  sudoKeyOptions,
} from './confirm-with-key.js'
export {
  type CreateUserError,
  countUsers,
  createUser,
  findUserByEmail,
  isEmailAddress,
  normalizeEmail,
} from './create-user.js'
export { confirmTotpEnrolment, startTotpEnrolment } from './enable-totp.js'
export { type EnterSudoError, enterSudoMode, grantCoversDowngrade } from './enter-sudo-mode.js'
export { availableReauthMethods, loadFactors } from './factors.js'
export {
  confirmThroughProxy,
  headerIdentity,
  isTrustedPeer,
  logInFromHeader,
  mayConfirmThroughProxy,
} from './header-auth.js'
export { logIn } from './log-in.js'
export { DEFAULT_LOGIN_LINK_TTL_MS, issueLoginLink, logInWithLink } from './login-links.js'
export { probeProvider, providerFormOrigins } from './oidc-client.js'
export { issuerVariants } from './oidc-identities.js'
export {
  finishOidc,
  OIDC_COOKIE,
  OIDC_FLOW_TTL_MS,
  type OidcCallbackError,
  type OidcStartError,
  startOidcLogin,
  startOidcReauth,
} from './oidc-login.js'
export {
  findUserForOperator,
  OPERATOR_META,
  resetTwoFactor,
  setPasswordByOperator,
} from './operator-recovery.js'
export {
  logInWithPasskey,
  PASSKEY_COOKIE,
  PASSKEY_COOKIE_TTL_MS,
  type PasskeyLoginError,
  startPasskeyLogin,
} from './passkey-login.js'
export type { PasswordProblem } from './passwords.js'
export {
  completeSecondStep,
  loadPendingLogin,
  PENDING_COOKIE,
  PENDING_LOGIN_TTL_MS,
  secondStepMethods,
} from './pending-logins.js'
export { maskPhoneNumber, PHONE_INVALID_TEXT, parsePhoneNumber } from './phone-number.js'
export {
  confirmPhoneVerification,
  removePhone,
  startPhoneVerification,
  verifiedPhone,
} from './phone-numbers.js'
export { recordRateLimitBlock } from './rate-limit-audit.js'
export { maskEmail, sendReauthCode } from './reauth-code.js'
export { hasSecondFactor, isSudoActive, type ReauthMethod } from './reauth-methods.js'
export { recoveryCodeStatus } from './recovery-codes.js'
export { regenerateRecoveryCodes } from './regenerate-recovery-codes.js'
export { removeTotp } from './remove-totp.js'
export { revokeAllSessions, revokeSession, revokeUserSessions } from './revoke-sessions.js'
export { sealSecret, secretBoxKey } from './secret-box.js'
export {
  listAllSecurityEvents,
  listProjectSecurityEvents,
  listSecurityEvents,
  pruneSecurityEvents,
  type RequestMeta,
  recordSecurityEvent,
  summariseUserAgent,
} from './security-events.js'
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
} from './security-keys.js'
export { NOT_EMAILED, notifySecurityChange } from './security-notifications.js'
export {
  createSession,
  deleteSession,
  isSecureSite,
  listSessions,
  type Session,
  sessionCookieName,
  sessionCookieOptions,
  validateSessionToken,
} from './sessions.js'
export { checkSetupCode, firstRunSetupCode } from './setup-code.js'
export { waitMinutesText } from './sign-in-mail-limits.js'
export { requestSignInLink, SIGN_UP_TEXT, signUp, signUpMode } from './sign-up.js'
export { recordTwilioCredentials, smsCapability, smsReauthConfigured } from './sms-capability.js'
export { sendSmsCode } from './sms-code.js'
export { groupSecret } from './totp.js'
export { findReportsUnsubscribeUser, unsubscribeReports } from './unsubscribe-reports.js'
export { type ProfileError, updateProfile } from './update-profile.js'
export { passkeyLoginCapability, webauthnCapability } from './webauthn-capability.js'
