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
  ROLE_NAMES,
  removeMember,
  type TeamError,
} from '../../projects/index.js'
import { accessOf, PROJECT, projectRoute } from '../access-guard.js'
import { CSRF_FIELD } from '../csrf.js'
import { formField } from '../render.js'
import { formatInstant } from '../time-format.js'
import { type WebMessages, webError } from '../web-errors.js'
import { ErrorText, Notice, requestMeta, sendAccountPage } from './account-page.js'

type Params = { Params: { project: string } }

export const TEAM_TEXT = {
  twoFactorRequired: 'This project requires two-factor authentication.',
  addedEmailed: (email: string, project: string) =>
    `${email} was added to ${project}. We emailed them a notice.`,
  addedNotEmailed: (email: string, project: string, siteRoot: string) =>
    `${email} was added to ${project}. We couldn't email them because this server can't send email: tell them to sign in with their own account at ${siteRoot}/login. If they have no password, an administrator can create a one-time sign-in link with \`vigil user login-link ${email}\`.`,
  signupEmailed: (email: string, project: string) =>
    `${email} has no account yet. We emailed them a link to create one; they join ${project} when they do.`,
  signupNotEmailed: (email: string, project: string) =>
    `${email} has no account yet, and we couldn't email them because this server can't send email. Give them the one-time sign-up link below: it creates a new account for ${email} only (never opens an existing one), works within 7 days, and adds them to ${project}.`,
} as const

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
  return sendAccountPage(ctx, req, reply, status, `Team – ${project.name}`, (csrf) => (
    <>
      <h1>Team of {project.name}</h1>
      {message?.error && <ErrorText>{message.error}</ErrorText>}
      {message?.notice && <Notice>{message.notice}</Notice>}
      {message?.link && (
        <p>
          One-time sign-up link to give them: <code data-invite-link>{message.link}</code>
        </p>
      )}
      {project.require_2fa === 1 && <p>{TEAM_TEXT.twoFactorRequired}</p>}
      <div class="card">
        <table>
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              {manage && <th>Two-factor</th>}
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-member={m.email}>
                <td>{m.email}</td>
                <td>
                  {manage ? (
                    <form method="post" action={`${base}/role`}>
                      <input type="hidden" name={CSRF_FIELD} value={csrf} />
                      <input type="hidden" name="user" value={String(m.userId)} />
                      <select name="role" aria-label={`Role of ${m.email}`}>
                        {(['w', 'r', 'm'] as const).map((r) => (
                          <option key={r} value={r} selected={r === m.role}>
                            {ROLE_NAMES[r]}
                          </option>
                        ))}
                      </select>
                      <button type="submit" class="secondary">
                        Change
                      </button>
                    </form>
                  ) : (
                    ROLE_NAMES[m.role]
                  )}
                </td>
                {manage && <td>{m.twoFactor ? 'on' : 'off'}</td>}
                <td>
                  {manage && (
                    <form method="post" action={`${base}/remove`}>
                      <input type="hidden" name={CSRF_FIELD} value={csrf} />
                      <input type="hidden" name="user" value={String(m.userId)} />
                      <button type="submit" class="secondary">
                        Remove
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {pending.length > 0 && (
          <p data-pending-invitations>
            Invited, no account yet:{' '}
            {pending.map((p, i) => (
              <span key={`${p.email}-${p.expires}`}>
                {i > 0 && ', '}
                {p.email} ({ROLE_NAMES[p.role]}, link valid until{' '}
                {formatInstant(p.expires, req.webAuth?.user.tz ?? 'UTC')})
              </span>
            ))}
          </p>
        )}
      </div>
      {manage && (
        <div class="card">
          <h2>Invite a member</h2>
          <form method="post" action={`${base}/invite`}>
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <label for="email">Email</label>
            <input id="email" name="email" type="email" required />
            <label for="role">Role</label>
            <select id="role" name="role">
              <option value="w">Member</option>
              <option value="r">Read-only</option>
              <option value="m">Manager</option>
            </select>
            <div class="actions">
              <button type="submit">Invite</button>
            </div>
          </form>
        </div>
      )}
    </>
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
