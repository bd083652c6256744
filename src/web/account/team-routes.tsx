/**
 * /projects/<uuid>/settings/team: a project's members (spec TEAM-1…3) — list with each member's
 * 2FA status, invite, change role, remove. Who may open these (membership, role, the TEAM-3 2FA
 * policy) is the access guard's job (access-guard.ts), declared on each route. Registered with
 * the account pages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Ctx } from '../../context.js'
import {
  canManageTeam,
  changeMemberRole,
  type Invited,
  inviteMember,
  isMemberRole,
  listMembers,
  listPendingInvitations,
  removeMember,
  type TeamError,
} from '../../projects/index.js'
import { accessOf, PROJECT, projectRoute } from '../access-guard.js'
import { formField } from '../render.js'
import { type WebMessages, webError } from '../web-errors.js'
import { requestMeta, sendAccountPage } from './account-page.js'
import { TEAM_TEXT, TeamPage } from './team-page.js'

type Params = { Params: { project: string } }

function inviteNotice(r: Invited, project: string, siteRoot: string): string {
  if (r.outcome === 'signup')
    return r.emailed
      ? TEAM_TEXT.signupEmailed(r.email, project)
      : TEAM_TEXT.signupNotEmailed(r.email, project)
  return r.emailed
    ? TEAM_TEXT.addedEmailed(r.email, project)
    : TEAM_TEXT.addedNotEmailed(r.email, project, siteRoot)
}

const TEAM_ERRORS: WebMessages = {
  forbidden: 'Only the owner and managers can change the team.',
  'invalid-email': 'That is not an email address.',
  'already-member': 'That person is already on the team.',
  'rate-limited': 'You have sent 20 invitations in the last 24 hours. Try again tomorrow.',
  'member-not-found': 'That person is not on the team.',
  'owner-needs-2fa': 'Turn on two-factor authentication for your own account first.',
}

/** The team page again, with what went wrong. */
function sendTeamError(ctx: Ctx, req: FastifyRequest<Params>, reply: FastifyReply, e: TeamError) {
  const { status, message } = webError(reply, e, TEAM_ERRORS)
  return teamPage(ctx, req, reply, status, { error: message })
}

/** The project, role and user the access guard resolved for this team route. */
function loadTeamProject(req: FastifyRequest) {
  const { auth, role, project } = accessOf(req)
  return { auth, role, project }
}

async function teamPage(
  ctx: Ctx,
  req: FastifyRequest<Params>,
  reply: FastifyReply,
  status: number,
  message?: { error?: string; notice?: string; link?: string | null },
) {
  const loaded = loadTeamProject(req)
  const { project, role } = loaded
  const manage = canManageTeam(role)
  const members = await listMembers(ctx, project)
  const pending = manage ? await listPendingInvitations(ctx, project, ctx.clock.now()) : []
  const base = `/projects/${project.code}/settings/team`
  const tz = req.webAuth?.user.tz ?? 'UTC'
  const view = { project, manage, members, pending, base, tz, message }
  return sendAccountPage(ctx, req, reply, status, `Team – ${project.name}`, (csrf) => (
    <TeamPage csrf={csrf} {...view} />
  ))
}

function userIdOf(body: unknown): number {
  const raw = formField(body, 'user')
  return /^\d{1,15}$/.test(raw) ? Number(raw) : -1
}

export function registerTeamRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/projects/:project/settings/team', PROJECT, async (req: FastifyRequest<Params>, reply) =>
    teamPage(ctx, req, reply, 200),
  )

  app.post(
    '/projects/:project/settings/team/invite',
    projectRoute('manager'),
    async (req: FastifyRequest<Params>, reply) => {
      const loaded = loadTeamProject(req)
      const role = formField(req.body, 'role')
      const r = await inviteMember(ctx, {
        project: loaded.project,
        inviter: loaded.auth.user,
        email: formField(req.body, 'email'),
        role: isMemberRole(role) ? role : 'w',
        meta: requestMeta(req),
      })
      if (!r.ok) return sendTeamError(ctx, req, reply, r.error)
      return teamPage(ctx, req, reply, 200, {
        notice: inviteNotice(r.value, loaded.project.name, ctx.config.siteRoot),
        link: r.value.link,
      })
    },
  )

  app.post(
    '/projects/:project/settings/team/remove',
    // Any member may leave (remove themselves); removing others is for managers (the use case).
    projectRoute('readonly'),
    async (req: FastifyRequest<Params>, reply) => {
      const loaded = loadTeamProject(req)
      const r = await removeMember(ctx, {
        project: loaded.project,
        actor: loaded.auth.user,
        userId: userIdOf(req.body),
        meta: requestMeta(req),
      })
      if (!r.ok) return sendTeamError(ctx, req, reply, r.error)
      return reply.redirect(`/projects/${loaded.project.code}/settings/team`, 303)
    },
  )

  app.post(
    '/projects/:project/settings/team/role',
    projectRoute('manager'),
    async (req: FastifyRequest<Params>, reply) => {
      const loaded = loadTeamProject(req)
      const role = formField(req.body, 'role')
      if (!isMemberRole(role)) return teamPage(ctx, req, reply, 400, { error: 'Choose a role.' })
      const r = await changeMemberRole(ctx, {
        project: loaded.project,
        actor: loaded.auth.user,
        userId: userIdOf(req.body),
        role,
        meta: requestMeta(req),
      })
      if (!r.ok) return sendTeamError(ctx, req, reply, r.error)
      return reply.redirect(`/projects/${loaded.project.code}/settings/team`, 303)
    },
  )
}
