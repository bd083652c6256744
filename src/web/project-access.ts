/**
 * Which projects, checks and channels a logged-in user may open in the web UI, and with which
 * role: asks projects/project-access (owner, member roles, superuser), so memberships count here
 * as everywhere. No access reads as "not found", as Healthchecks answers 404 rather than
 * revealing that someone else's project exists; read-only members may look but not change
 * (`canWrite`, Healthchecks' 403). Malformed UUIDs are refused before any query. The
 * `loadWritable…` guards answer those cases themselves for routes that change something.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Ctx } from '../context.js'
import type { Channel, Check, Project, User } from '../db/index.js'
import {
  canWrite,
  listAccessibleProjects,
  type ProjectRole,
  projectAccess,
} from '../projects/project-access.js'
import { requireLogin, sendNotFound, sendReadOnly } from './monitoring-page.js'

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
  const project = await ctx.db.kysely
    .selectFrom('projects')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst()
  if (!project) return null
  const role = await grantFor(ctx, user, project)
  return role ? { project, role } : null
}

async function projectById(ctx: Ctx, id: number): Promise<Project> {
  return ctx.db.kysely
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

/** The check with this UUID, its project and the user's role, or null. */
export async function findUserCheck(
  ctx: Ctx,
  user: User,
  code: string,
): Promise<(ProjectGrant & { check: Check }) | null> {
  if (!isUuid(code)) return null
  const check = await ctx.db.kysely
    .selectFrom('checks')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst()
  if (!check) return null
  const project = await projectById(ctx, check.project_id)
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
  const channel = await ctx.db.kysely
    .selectFrom('channels')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst()
  if (!channel) return null
  const project = await projectById(ctx, channel.project_id)
  const role = await grantFor(ctx, user, project)
  return role ? { channel, project, role } : null
}

/** The projects the user owns or is a member of, by name. */
export function listUserProjects(ctx: Ctx, user: User): Promise<Project[]> {
  return listAccessibleProjects(ctx, user.id)
}

/** What a route that changes a check or project works on: the `find…` result and the user. */
type Writable<T> = T & { user: User }

/**
 * The logged-in user's project `:project` when their role may change it; otherwise null, after
 * answering with the log-in redirect, 404 or the read-only 403.
 */
export async function loadWritableProject(
  ctx: Ctx,
  req: FastifyRequest<{ Params: { project: string } }>,
  reply: FastifyReply,
): Promise<Writable<ProjectGrant> | null> {
  const auth = requireLogin(req, reply)
  if (!auth) return null
  const grant = await findUserProject(ctx, auth.user, req.params.project)
  return writable(ctx, reply, grant, auth.user)
}

/**
 * The logged-in user's check `:code` with its project when their role may change it; otherwise
 * null, after answering with the log-in redirect, 404 or the read-only 403.
 */
export async function loadWritableCheck(
  ctx: Ctx,
  req: FastifyRequest<{ Params: { code: string } }>,
  reply: FastifyReply,
): Promise<Writable<ProjectGrant & { check: Check }> | null> {
  const auth = requireLogin(req, reply)
  if (!auth) return null
  const found = await findUserCheck(ctx, auth.user, req.params.code)
  return writable(ctx, reply, found, auth.user)
}

function writable<T extends ProjectGrant>(
  ctx: Ctx,
  reply: FastifyReply,
  found: T | null,
  user: User,
): Writable<T> | null {
  if (!found) {
    sendNotFound(ctx, reply)
    return null
  }
  if (!canWrite(found.role)) {
    sendReadOnly(ctx, reply)
    return null
  }
  return { ...found, user }
}
