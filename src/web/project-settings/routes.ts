/**
 * The project settings routes: GET /projects/<p>/settings/ and one POST per form (page.tsx).
 * Creating keys, a new ping key, a transfer request, the 2FA policy and deletion need sudo (RA-1;
 * turning the policy off is class D): their forms post to paths listed in
 * account/protected-actions.ts, and a GET of such a path (where /account/confirm returns to)
 * shows this page once confirmed. Each action: parse → use case → the page again or a redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Ctx } from '../../context.js'
import type { Project, User } from '../../db/index.js'
import {
  API_KEY_KIND_NAMES,
  acceptTransfer,
  canSeeProjectKeys,
  createApiKey,
  deleteProject,
  getProjectById,
  isApiKeyKind,
  listApiKeys,
  listMembers,
  MAX_EXPIRY_DAYS,
  type ProjectRole,
  parseExpiryDays,
  pendingTransfer,
  regeneratePingKey,
  renameProject,
  requestTransfer,
  revokeApiKey,
  setProjectTwoFactor,
  withdrawTransfer,
} from '../../projects/index.js'
import { accessOf, type MinimumRole, PROJECT, projectRoute } from '../access-guard.js'
import { requestMeta } from '../account/account-page.js'
import { PROJECT_PROTECTED_ACTIONS } from '../account/protected-actions.js'
import { requireSudo } from '../account/require-sudo.js'
import { sendMonitoringPage, sendReadOnly } from '../monitoring-page.js'
import { formField } from '../render.js'
import { describeWebError, type WebMessages } from '../web-errors.js'
import { SETTINGS_TEXT, type SettingsProps, settingsPage } from './page.js'

type ProjectParams = { Params: { project: string } }

interface Loaded {
  project: Project
  role: ProjectRole
  user: User
}

type Shown = Pick<SettingsProps, 'notice' | 'error' | 'errorAt' | 'newKey' | 'name'>

/** Who may post a settings form, checked in this order before the action runs. */
interface ActionRules {
  /** The form whose error box shows the action's errors. */
  errorAt?: SettingsProps['errorAt']
  /** The least role, enforced by the access guard (default: member, as for every POST). */
  role?: MinimumRole
  /** Needs a fresh proof of identity (RA-1): the action's path is in PROJECT_PROTECTED_ACTIONS. */
  sudo?: boolean
}

/**
 * What an action came to: the page again (with `error`, at the action's form and 400 unless
 * `status` says otherwise; `loaded` when the project changed), a redirect, or the read-only page.
 */
type ActionOutcome =
  | (Omit<Shown, 'errorAt'> & { status?: number; loaded?: Loaded })
  | { redirect: string }
  | typeof READ_ONLY

const READ_ONLY = { readOnly: true } as const

const TWO_FACTOR_POLICY_MESSAGES: WebMessages = {
  forbidden: 'Only the owner can change the project’s two-factor policy.',
  'owner-needs-2fa':
    'Turn on two-factor authentication for your own account first: you could not open the project otherwise.',
}

const OWNER_ONLY_SUDO = { role: 'owner', sudo: true } as const

/** The project, role and user the access guard resolved. */
function load(req: FastifyRequest): Loaded {
  const { project, role, user } = accessOf(req)
  return { project, role, user }
}

/** The project as it is now (after a change). */
async function reloaded(ctx: Ctx, loaded: Loaded): Promise<Loaded> {
  return { ...loaded, project: await getProjectById(ctx, loaded.project.id) }
}

async function showSettings(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  loaded: Loaded,
  shown: Shown = {},
  status = 200,
): Promise<FastifyReply> {
  const { project } = loaded
  const [keys, members, transfer] = await Promise.all([
    canSeeProjectKeys(loaded.role) ? listApiKeys(ctx, project.id) : Promise.resolve([]),
    listMembers(ctx, project),
    pendingTransfer(ctx, project, ctx.clock.now()),
  ])
  const title = `Settings – ${project.name}`
  const pingEndpoint = ctx.config.pingEndpoint
  return sendMonitoringPage(ctx, req, reply, { title, status }, (csrf) =>
    settingsPage({ ...loaded, ...shown, keys, members, transfer, csrf, pingEndpoint }),
  )
}

/** Answers an action's outcome: a redirect, the read-only page, or the page with its message. */
function sendOutcome(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  loaded: Loaded,
  rules: ActionRules,
  outcome: ActionOutcome,
): Promise<FastifyReply> | FastifyReply {
  if ('redirect' in outcome) return reply.redirect(outcome.redirect, 303)
  if ('readOnly' in outcome) return sendReadOnly(ctx, reply)
  const { status, loaded: after = loaded, ...shown } = outcome
  if (!shown.error) return showSettings(ctx, req, reply, after, shown, status)
  return showSettings(ctx, req, reply, after, { ...shown, errorAt: rules.errorAt }, status ?? 400)
}

const EXPIRY_ERROR = `Enter a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, or leave it empty.`

export function registerProjectSettingsRoutes(app: FastifyInstance, ctx: Ctx): void {
  /** The sudo guard of `action` (a key of PROJECT_PROTECTED_ACTIONS): false once it answered. */
  function sudoFor(req: FastifyRequest, reply: FastifyReply, action: string): Promise<boolean> {
    return requireSudo(ctx, req, reply, `/projects/${load(req).project.code}/settings/${action}`)
  }

  /**
   * POST /projects/<p>/settings/<action>: the access guard applied `rules.role`; this applies
   * sudo, runs the action, then shows the page with its notice or error, or redirects.
   */
  function settingsAction(
    action: string,
    rules: ActionRules,
    run: (req: FastifyRequest<ProjectParams>, loaded: Loaded) => Promise<ActionOutcome>,
  ): void {
    const path = `/projects/:project/settings/${action}`
    app.post(path, projectRoute(rules.role), async (req: FastifyRequest<ProjectParams>, reply) => {
      if (rules.sudo && !(await sudoFor(req, reply, action))) return reply
      const loaded = load(req)
      return sendOutcome(ctx, req, reply, loaded, rules, await run(req, loaded))
    })
  }

  app.get<ProjectParams>('/projects/:project/settings/', PROJECT, async (req, reply) => {
    return showSettings(ctx, req, reply, load(req))
  })

  // Where /account/confirm sends the user back to: the page, once sudo is granted.
  for (const action of Object.keys(PROJECT_PROTECTED_ACTIONS)) {
    app.get<ProjectParams>(`/projects/:project/settings/${action}`, PROJECT, async (req, reply) => {
      if (!(await sudoFor(req, reply, action))) return reply
      return showSettings(ctx, req, reply, load(req), { notice: 'Confirmed. You can go on now.' })
    })
  }

  settingsAction('name', { errorAt: 'name' }, async (req, loaded) => {
    const name = formField(req.body, 'name')
    const r = await renameProject(ctx, { projectId: loaded.project.id, name })
    if (!r.ok) return { name, error: 'Enter a name of 1 to 200 characters.' }
    return { loaded: { ...loaded, project: r.value }, notice: 'The project name was saved.' }
  })

  settingsAction('api-keys', { errorAt: 'api-keys', sudo: true }, async (req, loaded) => {
    const kind = formField(req.body, 'kind') || 'rw'
    const expiresInDays = parseExpiryDays(formField(req.body, 'expires_days'))
    if (!isApiKeyKind(kind)) return { error: 'Choose a read-write or a read-only key.' }
    if (expiresInDays === undefined) return { error: EXPIRY_ERROR }
    const { project, user: actor } = loaded
    const meta = requestMeta(req)
    const r = await createApiKey(ctx, { project, actor, kind, expiresInDays, meta })
    return r.ok ? { newKey: r.value } : READ_ONLY
  })

  settingsAction('api-keys/revoke', { errorAt: 'api-keys' }, async (req, loaded) => {
    const kind = formField(req.body, 'kind')
    if (!isApiKeyKind(kind)) return { error: 'Choose a key to revoke.' }
    const { project, user: actor } = loaded
    const r = await revokeApiKey(ctx, { project, actor, kind, meta: requestMeta(req) })
    if (!r.ok && describeWebError(r.error).status === 403) return READ_ONLY
    if (!r.ok) return { error: 'There is no such key.' }
    return { notice: `The ${API_KEY_KIND_NAMES[kind]} key was revoked: it no longer works.` }
  })

  settingsAction('ping-key', { sudo: true }, async (_req, loaded) => {
    const saved = await regeneratePingKey(ctx, loaded.project.id)
    return { loaded: { ...loaded, project: saved }, notice: 'The project has a new ping key.' }
  })

  for (const [action, required] of [
    ['require-2fa', true],
    ['require-2fa/off', false],
  ] as const) {
    settingsAction(action, { errorAt: 'require-2fa', ...OWNER_ONLY_SUDO }, async (req, loaded) => {
      const { project, user: actor } = loaded
      const r = await setProjectTwoFactor(ctx, { project, actor, required, meta: requestMeta(req) })
      if (!r.ok) {
        const { status, message } = describeWebError(r.error, TWO_FACTOR_POLICY_MESSAGES)
        return { error: message, status }
      }
      const notice = required
        ? 'Members now need two-factor authentication to open this project.'
        : 'Members no longer need two-factor authentication to open this project.'
      return { loaded: await reloaded(ctx, loaded), notice }
    })
  }

  settingsAction('transfer', { errorAt: 'transfer', ...OWNER_ONLY_SUDO }, async (req, loaded) => {
    const { project, user: actor } = loaded
    const email = formField(req.body, 'email')
    const r = await requestTransfer(ctx, { project, actor, email, meta: requestMeta(req) })
    if (!r.ok) return { error: 'Choose a member of the team: only they can take the project over.' }
    const { recipient, emailed } = r.value
    const notice = emailed ? SETTINGS_TEXT.transferEmailed : SETTINGS_TEXT.transferNotEmailed
    return { notice: notice(recipient.email) }
  })

  // The owner cancels, the recipient (of any role) rejects or accepts: the use case decides who.
  const anyRole = { errorAt: 'transfer', role: 'readonly' } as const
  for (const step of ['cancel', 'reject'] as const) {
    settingsAction(`transfer/${step}`, anyRole, async (req, loaded) => {
      const { project, user: actor } = loaded
      const r = await withdrawTransfer(ctx, { project, actor, meta: requestMeta(req) })
      if (!r.ok) {
        const { status } = describeWebError(r.error)
        return { error: 'There is no transfer request to withdraw.', status }
      }
      const done = r.value === 'cancelled'
      return { notice: done ? 'The transfer was cancelled.' : 'You rejected the transfer.' }
    })
  }

  settingsAction('transfer/accept', anyRole, async (req, loaded) => {
    const { project, user: actor } = loaded
    const r = await acceptTransfer(ctx, { project, actor, meta: requestMeta(req) })
    if (!r.ok)
      return {
        error: 'There is no open transfer request for you: it may have expired or been cancelled.',
      }
    const now = await reloaded(ctx, loaded)
    return { loaded: { ...now, role: 'owner' }, notice: `You now own ${project.name}.` }
  })

  settingsAction('delete', { errorAt: 'delete', ...OWNER_ONLY_SUDO }, async (req, loaded) => {
    const { project, user: actor } = loaded
    const confirmName = formField(req.body, 'confirm_name')
    const r = await deleteProject(ctx, { project, actor, confirmName, meta: requestMeta(req) })
    if (!r.ok) return { error: 'Type the project name exactly as shown to delete it.' }
    return { redirect: '/projects/?deleted=1' }
  })
}
