/**
 * The project settings page (Healthchecks' /projects/<p>/settings/) as a pure view of its
 * view-model: name, API keys (AK-2, a new key shown once), ping key, the owner's 2FA policy
 * (TEAM-3), ownership transfer (TEAM-4) and deletion. The forms post to routes.ts.
 */
import { NOT_EMAILED } from '../../accounts/index.js'
import type { Project, User } from '../../db/index.js'
import {
  API_KEY_KIND_NAMES,
  type ApiKeyInfo,
  type CreatedApiKey,
  canSeeProjectKeys,
  KEYS_HIDDEN_TEXT,
  MAX_EXPIRY_DAYS,
  type MemberRow,
  type PendingTransfer,
  type ProjectRole,
} from '../../projects/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { canWrite } from '../project-access.js'
import { ProjectTabs } from '../projects/project-tabs.js'
import { formatInstant } from '../time-format.js'

export const SETTINGS_TEXT = {
  transferNotEmailed: (email: string) =>
    `${email} will see the request in Project Settings. We couldn't email them.`,
  transferEmailed: (email: string) =>
    `We emailed ${email} the request. They can accept it in Project Settings.`,
} as const

export interface SettingsProps {
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

/** The page's content, for sendMonitoringPage. */
export function settingsPage(props: SettingsProps) {
  return <SettingsPage {...props} />
}
