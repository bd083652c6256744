/**
 * Which projects, checks and channels a logged-in user may open in the web UI, and with which
 * role: asks projects/project-access (owner, member roles, superuser), so memberships count here
 * as everywhere. No access reads as "not found", as Healthchecks answers 404 rather than
 * revealing that someone else's project exists; read-only members may look but not change
 * (`canWrite`, Healthchecks' 403). Malformed UUIDs are refused before any query. The access
 * guard (access-guard.ts) asks these for every project-scoped route.
 */
import { channelByCode } from '../channels/index.js'
import { checkByCode } from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { Channel, Check, Project, User } from '../db/index.js'
import {
  canWrite,
  findProjectByCode,
  getProjectById,
  listAccessibleProjects,
  type ProjectRole,
  projectAccess,
} from '../projects/index.js'

export { canWrite, type ProjectRole }

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function isUuid(value: string): boolean {
  return UUID_RE.test(value)
}

export interface ProjectGrant {
  project: Project
  role: ProjectRole
}

async function grantFor(ctx: Ctx, user: User, project: Project): Promise<ProjectRole | null> {
  return projectAccess(ctx, user.id, project.code)
}

/** The project with this UUID and the user's role in it, or null when they may not open it. */
export async function findUserProject(
  ctx: Ctx,
  user: User,
  code: string,
): Promise<ProjectGrant | null> {
  if (!isUuid(code)) return null
  const project = await findProjectByCode(ctx, code)
  if (!project) return null
  const role = await grantFor(ctx, user, project)
  return role ? { project, role } : null
}

/** The check with this UUID, its project and the user's role, or null. */
export async function findUserCheck(
  ctx: Ctx,
  user: User,
  code: string,
): Promise<(ProjectGrant & { check: Check }) | null> {
  if (!isUuid(code)) return null
  const check = await checkByCode(ctx.db.kysely, code)
  if (!check) return null
  const project = await getProjectById(ctx, check.project_id)
  const role = await grantFor(ctx, user, project)
  return role ? { check, project, role } : null
}

/** The channel with this UUID, its project and the user's role, or null. */
export async function findUserChannel(
  ctx: Ctx,
  user: User,
  code: string,
): Promise<(ProjectGrant & { channel: Channel }) | null> {
  if (!isUuid(code)) return null
  const channel = await channelByCode(ctx.db.kysely, code)
  if (!channel) return null
  const project = await getProjectById(ctx, channel.project_id)
  const role = await grantFor(ctx, user, project)
  return role ? { channel, project, role } : null
}

/** The projects the user owns or is a member of, by name. */
export function listUserProjects(ctx: Ctx, user: User): Promise<Project[]> {
  return listAccessibleProjects(ctx, user.id)
}
