/**
 * The project settings page (Healthchecks' /projects/<p>/settings/): rename the project; API keys
 * (AK-2: create or replace a read-write or read-only key — shown once — and revoke); the ping
 * key; the owner's 2FA policy (TEAM-3); ownership transfer (TEAM-4: request, cancel, accept,
 * reject); and deletion. Creating keys, a new ping key, a transfer request, the 2FA policy and
 * deletion need sudo (RA-1; turning the policy off is class D): their forms post to paths listed
 * in account/protected-actions.ts, and a GET of such a path (where /account/confirm returns to)
 * shows this page once confirmed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { NOT_EMAILED } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import type { Project, User } from '../../db/index.js'
import {
  API_KEY_KIND_NAMES,
  type ApiKeyInfo,
  type ApiKeyKind,
  acceptTransfer,
  type CreatedApiKey,
  canSeeProjectKeys,
  createApiKey,
  deleteProject,
  isApiKeyKind,
  KEYS_HIDDEN_TEXT,
  listApiKeys,
  listMembers,
  MAX_EXPIRY_DAYS,
  type MemberRow,
  type PendingTransfer,
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
import { CSRF_FIELD } from '../csrf.js'
import { sendMonitoringPage, sendReadOnly } from '../monitoring-page.js'
import { canWrite } from '../project-access.js'
import { ProjectTabs } from '../projects/project-tabs.js'
import { formField } from '../render.js'
import { formatInstant } from '../time-format.js'

type ProjectParams = { Params: { project: string } }

export const SETTINGS_TEXT = {
  transferNotEmailed: (email: string) =>
    `${email} will see the request in Project Settings. We couldn't email them.`,
  transferEmailed: (email: string) =>
    `We emailed ${email} the request. They can accept it in Project Settings.`,
} as const

interface SettingsProps {
  project: Project
  role: ProjectRole
  user: User
  csrf: string
  pingEndpoint: string
  keys: ApiKeyInfo[]
  members: MemberRow[]
  transfer: PendingTransfer | null
  notice?: string
  error?: string
  /** Which form the error belongs to. */
  errorAt?: 'name' | 'api-keys' | 'transfer' | 'require-2fa' | 'delete'
  newKey?: CreatedApiKey
  name?: string
}

function FormError({ props, at }: { props: SettingsProps; at: SettingsProps['errorAt'] }) {
  if (!props.error || props.errorAt !== at) return null
  return (
    <p class="error" role="alert">
      {props.error}
    </p>
  )
}

function KeyRow({ info, tz }: { info: ApiKeyInfo | undefined; tz: string }) {
  if (!info) return <dd>none</dd>
  return (
    <dd>
      {info.legacy ? 'set (an older 32-character key)' : 'set'}
      {info.createdBy ? `, created by ${info.createdBy}` : ''} on{' '}
      {formatInstant(info.createdAt, tz)};{' '}
      {info.lastUsedAt ? `last used ${formatInstant(info.lastUsedAt, tz)}` : 'never used'}
      {info.expiresAt ? `; expires ${formatInstant(info.expiresAt, tz)}` : ''}
    </dd>
  )
}

function ApiKeysCard(props: SettingsProps) {
  const { csrf, keys, newKey, role, user } = props
  const base = `/projects/${props.project.code}/settings/`
  const write = canWrite(role)
  return (
    <section class="card" aria-labelledby="api-keys">
      <h2 id="api-keys">API keys</h2>
      <FormError props={props} at="api-keys" />
      {newKey && (
        <div role="status">
          <p>
            <strong>
              Copy the new {API_KEY_KIND_NAMES[newKey.kind]} key now: it is shown only once.
            </strong>{' '}
            The key it replaces no longer works.
          </p>
          <p>
            <code class="secret" data-new-key={newKey.kind}>
              {newKey.key}
            </code>
          </p>
          {!newKey.notified && <p class="hint">{NOT_EMAILED}</p>}
        </div>
      )}
      {canSeeProjectKeys(role) ? (
        <dl class="facts">
          {(['rw', 'ro'] as const).map((kind) => (
            <div key={kind} data-key-kind={kind}>
              <dt>{kind === 'rw' ? 'Read-write key' : 'Read-only key'}</dt>
              <KeyRow info={keys.find((k) => k.kind === kind)} tz={user.tz} />
            </div>
          ))}
        </dl>
      ) : (
        <p data-keys-hidden>{KEYS_HIDDEN_TEXT.apiKeys}</p>
      )}
      <p class="hint">Vigil keeps only a keyed hash of each key, so it cannot show them again.</p>
      {write && (
        <>
          <form method="post" action={`${base}api-keys`}>
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <label for="key-kind">Kind of key</label>
            <select id="key-kind" name="kind">
              <option value="rw">Read-write (hcw_…)</option>
              <option value="ro">Read-only (hcr_…)</option>
            </select>
            <label for="key-expires">Expires after (days, empty for never)</label>
            <input
              type="number"
              id="key-expires"
              name="expires_days"
              min={1}
              max={MAX_EXPIRY_DAYS}
              inputMode="numeric"
            />
            <p class="hint">A new key replaces the current key of that kind at once.</p>
            <div class="actions">
              <button type="submit">Create API key</button>
            </div>
          </form>
          {keys.map((k) => (
            <form key={k.kind} method="post" action={`${base}api-keys/revoke`}>
              <input type="hidden" name={CSRF_FIELD} value={csrf} />
              <input type="hidden" name="kind" value={k.kind} />
              <button type="submit" class="secondary">
                Revoke the {API_KEY_KIND_NAMES[k.kind]} key
              </button>
            </form>
          ))}
        </>
      )}
    </section>
  )
}

function TwoFactorCard(props: SettingsProps) {
  const { project, csrf } = props
  const base = `/projects/${project.code}/settings/`
  const on = project.require_2fa === 1
  return (
    <section class="card" aria-labelledby="require-2fa">
      <h2 id="require-2fa">Two-factor authentication</h2>
      <FormError props={props} at="require-2fa" />
      <p data-require-2fa={on ? 'on' : 'off'}>
        {on
          ? 'Members must log in with a second factor to open this project. API keys are not affected.'
          : 'Members may open this project without a second factor.'}
      </p>
      <form method="post" action={`${base}${on ? 'require-2fa/off' : 'require-2fa'}`}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button type="submit" class="secondary">
          {on ? 'Stop requiring two-factor authentication' : 'Require two-factor authentication'}
        </button>
      </form>
    </section>
  )
}

function TransferCard(props: SettingsProps) {
  const { project, csrf, transfer, members, user } = props
  const base = `/projects/${project.code}/settings/`
  const owner = project.owner_id === user.id
  if (transfer && transfer.userId === user.id) {
    return (
      <section class="card" aria-labelledby="transfer">
        <h2 id="transfer">Ownership Transfer Request</h2>
        <FormError props={props} at="transfer" />
        <p>
          The owner would like you to take this project over. The request expires on{' '}
          {formatInstant(transfer.expiresAt, user.tz)}.
        </p>
        <form method="post" action={`${base}transfer/accept`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <button type="submit">Accept transfer</button>
        </form>
        <form method="post" action={`${base}transfer/reject`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <button type="submit" class="secondary">
            Reject
          </button>
        </form>
      </section>
    )
  }
  if (!owner) return <FormError props={props} at="transfer" />
  return (
    <section class="card" aria-labelledby="transfer">
      <h2 id="transfer">Transfer ownership</h2>
      <FormError props={props} at="transfer" />
      {transfer ? (
        <>
          <p data-transfer-pending={transfer.email}>
            Waiting for {transfer.email} to accept (until{' '}
            {formatInstant(transfer.expiresAt, user.tz)}).
          </p>
          <form method="post" action={`${base}transfer/cancel`}>
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <button type="submit" class="secondary">
              Cancel the transfer
            </button>
          </form>
        </>
      ) : members.length === 0 ? (
        <p>Invite someone to the team first: a project can only go to one of its members.</p>
      ) : (
        <form method="post" action={`${base}transfer`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <label for="transfer-email">New owner</label>
          <select id="transfer-email" name="email">
            {members.map((m) => (
              <option key={m.userId} value={m.email}>
                {m.email}
              </option>
            ))}
          </select>
          <p class="hint">You stay on the team as a member once they accept.</p>
          <div class="actions">
            <button type="submit" class="secondary">
              Request transfer
            </button>
          </div>
        </form>
      )}
    </section>
  )
}

function DeleteCard(props: SettingsProps) {
  const { project, csrf } = props
  return (
    <section class="card" aria-labelledby="delete-project">
      <h2 id="delete-project">Delete the project</h2>
      <FormError props={props} at="delete" />
      <form method="post" action={`/projects/${project.code}/settings/delete`}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <p class="hint">
          Its checks, ping history, integrations, API keys and team go with it. This cannot be
          undone.
        </p>
        <label for="confirm-name">Type the project name to confirm</label>
        <input type="text" id="confirm-name" name="confirm_name" autocomplete="off" required />
        <div class="actions">
          <button type="submit" class="danger">
            Delete project
          </button>
        </div>
      </form>
    </section>
  )
}

function SettingsPage(props: SettingsProps) {
  const { project, csrf, pingEndpoint, notice, name, role, user } = props
  const base = `/projects/${project.code}/settings/`
  const owner = project.owner_id === user.id
  return (
    <>
      <p class="breadcrumb">
        <a href="/projects/">Projects</a> /
      </p>
      <h1>{project.name}</h1>
      <ProjectTabs project={project} current="settings" />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>
        <a href={`${base}team`}>Team members, roles and invitations</a>
      </p>
      <TransferCard {...props} />
      <section class="card" aria-labelledby="project-name">
        <h2 id="project-name">Project name</h2>
        <form method="post" action={`${base}name`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <FormError props={props} at="name" />
          <label for="name">Name</label>
          <input
            type="text"
            id="name"
            name="name"
            value={name ?? project.name}
            maxLength={200}
            required
          />
          <div class="actions">
            <button type="submit">Save name</button>
          </div>
        </form>
      </section>
      <ApiKeysCard {...props} />
      <section class="card" aria-labelledby="ping-key">
        <h2 id="ping-key">Ping key</h2>
        {!canSeeProjectKeys(role) ? (
          <p data-ping-key-hidden>{KEYS_HIDDEN_TEXT.pingKey}</p>
        ) : project.ping_key ? (
          <p>
            Slug URLs look like <code>{`${pingEndpoint}${project.ping_key}/<slug>`}</code>
          </p>
        ) : (
          <p>This project has no ping key: its checks can be pinged by UUID only.</p>
        )}
        {canWrite(role) && (
          <form method="post" action={`${base}ping-key`}>
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <p class="hint">A new ping key breaks every slug URL in use; UUID URLs keep working.</p>
            <button type="submit" class="secondary">
              {project.ping_key ? 'Make a new ping key' : 'Create a ping key'}
            </button>
          </form>
        )}
      </section>
      {owner && <TwoFactorCard {...props} />}
      {owner && <DeleteCard {...props} />}
    </>
  )
}

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

const TEAM_POLICY_ERRORS: Record<string, string> = {
  forbidden: 'Only the owner can change the project’s two-factor policy.',
  'owner-needs-2fa':
    'Turn on two-factor authentication for your own account first: you could not open the project otherwise.',
}

export function registerProjectSettingsRoutes(app: FastifyInstance, ctx: Ctx): void {
  /** The project, role and user the access guard resolved. */
  function load(req: FastifyRequest): Loaded {
    const { project, role, user } = accessOf(req)
    return { project, role, user }
  }

  /** The sudo guard of `action` (a key of PROJECT_PROTECTED_ACTIONS): false once it answered. */
  function sudoFor(
    req: FastifyRequest,
    reply: FastifyReply,
    loaded: Loaded,
    action: string,
  ): Promise<boolean> {
    return requireSudo(ctx, req, reply, `/projects/${loaded.project.code}/settings/${action}`)
  }

  async function show(
    req: FastifyRequest,
    reply: FastifyReply,
    loaded: Loaded,
    shown: Shown = {},
    status = 200,
  ) {
    const { project } = loaded
    const now = ctx.clock.now()
    const [keys, members, transfer] = await Promise.all([
      canSeeProjectKeys(loaded.role) ? listApiKeys(ctx, project.id) : Promise.resolve([]),
      listMembers(ctx, project),
      pendingTransfer(ctx, project, now),
    ])
    return sendMonitoringPage(
      ctx,
      req,
      reply,
      { title: `Settings – ${project.name}`, status },
      (csrf) => (
        <SettingsPage
          {...loaded}
          {...shown}
          keys={keys}
          members={members}
          transfer={transfer}
          csrf={csrf}
          pingEndpoint={ctx.config.pingEndpoint}
        />
      ),
    )
  }

  /** The project as it is now (after a change). */
  async function reloaded(loaded: Loaded): Promise<Loaded> {
    const project = await ctx.db.kysely
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', loaded.project.id)
      .executeTakeFirstOrThrow()
    return { ...loaded, project }
  }

  /**
   * POST /projects/<p>/settings/<action>: loads the project and applies `rules`, runs the action,
   * then shows the page with its notice or error, or redirects.
   */
  function settingsAction(
    action: string,
    rules: ActionRules,
    run: (req: FastifyRequest<ProjectParams>, loaded: Loaded) => Promise<ActionOutcome>,
  ): void {
    app.post(
      `/projects/:project/settings/${action}`,
      projectRoute(rules.role),
      async (req: FastifyRequest<ProjectParams>, reply) => {
        const loaded = load(req)
        if (rules.sudo && !(await sudoFor(req, reply, loaded, action))) return reply
        const outcome = await run(req, loaded)
        if ('redirect' in outcome) return reply.redirect(outcome.redirect, 303)
        if ('readOnly' in outcome) return sendReadOnly(ctx, reply)
        const { status, loaded: after = loaded, ...shown } = outcome
        if (shown.error)
          return show(req, reply, after, { ...shown, errorAt: rules.errorAt }, status ?? 400)
        return show(req, reply, after, shown, status)
      },
    )
  }

  app.get<ProjectParams>('/projects/:project/settings/', PROJECT, async (req, reply) => {
    return show(req, reply, load(req))
  })

  // Where /account/confirm sends the user back to: the page, once sudo is granted.
  for (const action of Object.keys(PROJECT_PROTECTED_ACTIONS)) {
    app.get<ProjectParams>(`/projects/:project/settings/${action}`, PROJECT, async (req, reply) => {
      const loaded = load(req)
      if (!(await sudoFor(req, reply, loaded, action))) return reply
      return show(req, reply, loaded, { notice: 'Confirmed. You can go on now.' })
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
    const days = parseExpiryDays(formField(req.body, 'expires_days'))
    if (!isApiKeyKind(kind)) return { error: 'Choose a read-write or a read-only key.' }
    if (days === undefined)
      return {
        error: `Enter a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, or leave it empty.`,
      }
    const r = await createApiKey(ctx, {
      project: loaded.project,
      actor: loaded.user,
      kind,
      expiresInDays: days,
      meta: requestMeta(req),
    })
    if (!r.ok) return READ_ONLY
    return { newKey: r.value }
  })

  settingsAction('api-keys/revoke', { errorAt: 'api-keys' }, async (req, loaded) => {
    const kind = formField(req.body, 'kind')
    if (!isApiKeyKind(kind)) return { error: 'Choose a key to revoke.' }
    const r = await revokeApiKey(ctx, {
      project: loaded.project,
      actor: loaded.user,
      kind: kind as ApiKeyKind,
      meta: requestMeta(req),
    })
    if (!r.ok) return r.error.kind === 'forbidden' ? READ_ONLY : { error: 'There is no such key.' }
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
    const rules = {
      errorAt: 'require-2fa',
      role: 'owner',
      sudo: true,
    } as const
    settingsAction(action, rules, async (req, loaded) => {
      const r = await setProjectTwoFactor(ctx, {
        project: loaded.project,
        actor: loaded.user,
        required,
        meta: requestMeta(req),
      })
      if (!r.ok)
        return {
          error: TEAM_POLICY_ERRORS[r.error.kind] ?? 'That did not work.',
          status: r.error.kind === 'forbidden' ? 403 : 400,
        }
      return {
        loaded: await reloaded(loaded),
        notice: required
          ? 'Members now need two-factor authentication to open this project.'
          : 'Members no longer need two-factor authentication to open this project.',
      }
    })
  }

  const transferRules = {
    errorAt: 'transfer',
    role: 'owner',
    sudo: true,
  } as const
  settingsAction('transfer', transferRules, async (req, loaded) => {
    const r = await requestTransfer(ctx, {
      project: loaded.project,
      actor: loaded.user,
      email: formField(req.body, 'email'),
      meta: requestMeta(req),
    })
    if (!r.ok) return { error: 'Choose a member of the team: only they can take the project over.' }
    const { recipient, emailed } = r.value
    return {
      notice: emailed
        ? SETTINGS_TEXT.transferEmailed(recipient.email)
        : SETTINGS_TEXT.transferNotEmailed(recipient.email),
    }
  })

  // The owner cancels, the recipient (of any role) rejects or accepts: the use case decides who.
  for (const step of ['cancel', 'reject'] as const) {
    settingsAction(
      `transfer/${step}`,
      { errorAt: 'transfer', role: 'readonly' },
      async (req, loaded) => {
        const r = await withdrawTransfer(ctx, {
          project: loaded.project,
          actor: loaded.user,
          meta: requestMeta(req),
        })
        if (!r.ok)
          return {
            error: 'There is no transfer request to withdraw.',
            status: r.error.kind === 'forbidden' ? 403 : 400,
          }
        return {
          notice:
            r.value === 'cancelled' ? 'The transfer was cancelled.' : 'You rejected the transfer.',
        }
      },
    )
  }

  settingsAction(
    'transfer/accept',
    { errorAt: 'transfer', role: 'readonly' },
    async (req, loaded) => {
      const r = await acceptTransfer(ctx, {
        project: loaded.project,
        actor: loaded.user,
        meta: requestMeta(req),
      })
      if (!r.ok)
        return {
          error:
            'There is no open transfer request for you: it may have expired or been cancelled.',
        }
      const now = await reloaded(loaded)
      return { loaded: { ...now, role: 'owner' }, notice: `You now own ${loaded.project.name}.` }
    },
  )

  const deleteRules = {
    errorAt: 'delete',
    role: 'owner',
    sudo: true,
  } as const
  settingsAction('delete', deleteRules, async (req, loaded) => {
    const r = await deleteProject(ctx, {
      project: loaded.project,
      actor: loaded.user,
      confirmName: formField(req.body, 'confirm_name'),
      meta: requestMeta(req),
    })
    if (!r.ok) return { error: 'Type the project name exactly as shown to delete it.' }
    return { redirect: '/projects/?deleted=1' }
  })
}
