/**
 * The projects feature as other features see it: everything outside src/projects/ imports from
 * here, never from a module inside. Named exports only, each one used elsewhere.
 */
export { acceptInvitation, describeInvitation, type InvitationError } from './accept-invitation.js'
export { type ApiKeyError, type ApiKeyProject, findProjectByApiKey } from './api-key-auth.js'
export { storedFormOf } from './api-key-hash.js'
export { checkApiAuthLimit, recordApiAuthFailure } from './api-key-throttle.js'
export { type BadgeFormat, badgeUrl, badgeUrls, isValidBadgeSignature } from './badge-signature.js'
export { type CreateOwnerError, createOwner } from './create-owner.js'
export { createProject } from './create-project.js'
export { deleteProject } from './delete-project.js'
export { findProjectByCode, getProjectById } from './find-project.js'
export {
  API_KEY_KIND_NAMES,
  type ApiKeyInfo,
  type ApiKeyKind,
  type CreatedApiKey,
  createApiKey,
  isApiKeyKind,
  listApiKeys,
  MAX_EXPIRY_DAYS,
  parseExpiryDays,
  revokeApiKey,
} from './manage-api-keys.js'
export {
  changeMemberRole,
  type Invited,
  inviteMember,
  isMemberRole,
  listMembers,
  listPendingInvitations,
  type MemberRow,
  type PendingInvitation,
  ROLE_NAMES,
  removeMember,
  setProjectTwoFactor,
  type TeamError,
} from './members.js'
export {
  blockedByTwoFactorPolicy,
  canManageTeam,
  canSeeProjectKeys,
  canWrite,
  KEYS_HIDDEN_TEXT,
  listAccessibleProjects,
  type ProjectRole,
  projectAccess,
} from './project-access.js'
export { regeneratePingKey } from './regenerate-project-keys.js'
export { renameProject } from './rename-project.js'
export {
  acceptTransfer,
  type PendingTransfer,
  pendingTransfer,
  requestTransfer,
  withdrawTransfer,
} from './transfer-ownership.js'
