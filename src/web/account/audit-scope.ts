/**
 * Which security events /account/audit shows (AU-3): the user's own; `?project=<uuid>` a
 * project's, for its owner, managers and superusers; `?all=1` every account's, for superusers.
 * The project comes from the query, not the path, so the access guard's 2FA rule is applied here.
 */
import {
  listAllSecurityEvents,
  listProjectSecurityEvents,
  listSecurityEvents,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import type { SecurityEvent } from '../../db/index.js'
import { blockedByTwoFactorPolicy, findProjectByCode, projectAccess } from '../../projects/index.js'
import type { WebAuth } from '../web-auth.js'

export type AuditScope =
  | { heading: string; events: SecurityEvent[]; scoped: boolean }
  /** A list the user may not see reads as missing; a project behind its 2FA policy says so. */
  | { refused: 'not-found' | 'two-factor' }

export async function loadAuditScope(
  ctx: Ctx,
  auth: WebAuth,
  query: Record<string, unknown>,
): Promise<AuditScope> {
  if (typeof query.project === 'string') {
    const role = await projectAccess(ctx, auth.user.id, query.project)
    const mayRead = role === 'owner' || role === 'm' || role === 'superuser'
    const project = mayRead ? await findProjectByCode(ctx, query.project) : undefined
    if (!project) return { refused: 'not-found' }
    if (blockedByTwoFactorPolicy(project, auth.session)) return { refused: 'two-factor' }
    const events = await listProjectSecurityEvents(ctx, project.id)
    return { heading: `Security activity – ${project.name}`, events, scoped: true }
  }
  if (query.all === '1') {
    if (auth.user.is_superuser !== 1) return { refused: 'not-found' }
    const events = await listAllSecurityEvents(ctx)
    return { heading: 'Security activity – all accounts', events, scoped: true }
  }
  const events = await listSecurityEvents(ctx, auth.user.id)
  return { heading: 'Security activity', events, scoped: false }
}
