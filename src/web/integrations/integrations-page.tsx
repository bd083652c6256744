/**
 * The integrations pages of a project (Healthchecks' /projects/<p>/integrations/): the channels
 * with what they send to (secrets masked by the kind's maskedConfig), how many checks they serve,
 * their last delivery and error, and actions (edit, choose checks, send a test, remove), every kind
 * that can be added (greyed with the reason when this instance cannot send it); plus the forms
 * that add an email or a webhook channel and the page that picks a channel's checks.
 */

import type { ChannelSummary } from '../../channels/index.js'
import type { Channel, Check, Project } from '../../db/index.js'
import { integrationFor } from '../../integrations/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { ProjectTabs } from '../projects/project-tabs.js'
import { formatInstant } from '../time-format.js'
import { NotifyLateField } from './channel-form-page.js'

/** What a channel sends to, in one line, secrets masked. */
export function channelTarget(channel: Pick<Channel, 'kind' | 'value'>): string {
  const integration = integrationFor(channel.kind)
  if (!integration) return `(${channel.kind} cannot be sent by this version)`
  const masked = integration.maskedConfig(channel.value)
  if (channel.kind === 'email') {
    const on = [masked.down ? 'down' : '', masked.up ? 'up' : ''].filter(Boolean).join(' and ')
    return `${masked.value} (${on || 'nothing'})`
  }
  if (channel.kind === 'webhook') {
    const parts = [
      masked.url_down ? `down: ${masked.method_down} ${masked.url_down}` : '',
      masked.url_up ? `up: ${masked.method_up} ${masked.url_up}` : '',
    ]
    return parts.filter(Boolean).join('; ')
  }
  return Object.values(masked)
    .filter((v) => typeof v === 'string' && v !== '')
    .join(' ')
}

/** Email and webhook keep their own forms; every other kind uses the generic one. */
function addUrl(project: Project, kind: string): string {
  const base = `/projects/${project.code}/integrations/`
  if (kind === 'email') return `${base}add_email/`
  if (kind === 'webhook') return `${base}add_webhook/`
  return `${base}add/${kind}/`
}

function Hidden({ csrf }: { csrf: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={csrf} />
}

/** "Remove this integration?" — the list links here; the button posts the removal. */
export function RemoveChannelPage(props: { project: Project; channel: Channel; csrf: string }) {
  const { project, channel, csrf } = props
  return (
    <div class="card">
      <h1>Remove “{channel.name || channelTarget(channel)}”?</h1>
      <p>
        The checks of “{project.name}” stop alerting through this {channel.kind} integration, and
        its delivery history is deleted. Other integrations are not affected.
      </p>
      <form method="post" action={`/integrations/${channel.code}/remove/`} class="row-actions">
        <Hidden csrf={csrf} />
        <button type="submit" class="danger">
          Remove the integration
        </button>
        <a href={`/projects/${project.code}/integrations/`}>Keep it</a>
      </form>
    </div>
  )
}

export function IntegrationsPage(props: {
  project: Project
  channels: ChannelSummary[]
  checkCount: number
  tz: string
  csrf: string
  notice?: string
  /** Every kind this version can send, with why this instance cannot (null when it can). */
  kinds: Array<{ kind: string; label: string; unavailable: string | null }>
}) {
  const { project, channels, tz, csrf } = props
  return (
    <>
      <p class="breadcrumb">
        <a href="/projects/">Projects</a> /
      </p>
      <h1>{project.name}</h1>
      <ProjectTabs project={project} current="integrations" />
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {channels.length === 0 ? (
        <p class="muted">No integrations yet: add one below to be told when a check goes down.</p>
      ) : (
        <div class="table-wrap">
          <table class="integrations">
            <thead>
              <tr>
                <th scope="col">Integration</th>
                <th scope="col">Checks</th>
                <th scope="col">Last notification</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {channels.map(({ channel, checks, test }) => (
                <tr key={channel.code} data-channel={channel.code}>
                  <td>
                    <strong>
                      {channel.name || integrationFor(channel.kind)?.label || channel.kind}
                    </strong>
                    <small>
                      {integrationFor(channel.kind)?.label ?? channel.kind}:{' '}
                      {channelTarget(channel)}
                    </small>
                    {channel.kind === 'email' && channel.email_verified === 0 && (
                      <small class="status-grace">Unverified address: nothing is sent to it.</small>
                    )}
                    {channel.disabled === 1 && (
                      <small class="status-down">Disabled after a permanent error.</small>
                    )}
                  </td>
                  <td>
                    {checks} of {props.checkCount}
                  </td>
                  <td>
                    {channel.last_notify === null ? (
                      <span class="muted">never</span>
                    ) : (
                      <span>{formatInstant(channel.last_notify, tz)}</span>
                    )}
                    {channel.last_error ? (
                      <small class="status-down">✗ {channel.last_error}</small>
                    ) : (
                      channel.last_notify !== null && <small class="status-up">✓ delivered</small>
                    )}
                    {test && (
                      <small>
                        Test {formatInstant(test.created, tz)}: {test.status}
                        {test.error && test.status !== 'sent' ? ` – ${test.error}` : ''}
                      </small>
                    )}
                  </td>
                  <td>
                    <div class="row-actions">
                      <a href={`/integrations/${channel.code}/edit/`}>Edit…</a>
                      <a href={`/integrations/${channel.code}/checks/`}>Checks…</a>
                      <a href={`/integrations/${channel.code}/repeat/`}>
                        {channel.repeat_every > 0 ? 'Repeats…' : 'Repeat…'}
                      </a>
                      <form method="post" action={`/integrations/${channel.code}/test/`}>
                        <Hidden csrf={csrf} />
                        <button type="submit" class="secondary">
                          Send test
                        </button>
                      </form>
                      <a
                        href={`/integrations/${channel.code}/remove/`}
                        aria-label={`Remove ${channel.name || channelTarget(channel)}…`}
                      >
                        Remove…
                      </a>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="card" aria-labelledby="add">
        <h2 id="add">Add an integration</h2>
        <ul class="kinds">
          {props.kinds.map((k) => (
            <li key={k.kind} class={k.unavailable ? 'muted' : undefined}>
              <a href={addUrl(project, k.kind)}>Add {k.label}</a>
              {k.unavailable && <small> – {k.unavailable}</small>}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

function FormError({ error }: { error?: string }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null
}

export function AddEmailPage(props: {
  project: Project
  csrf: string
  values: { name: string; address: string; down: boolean; up: boolean; notify_late: boolean }
  error?: string
}) {
  const { project, values: v } = props
  return (
    <>
      <h1>Add an email integration</h1>
      <form method="post" class="card" action={`/projects/${project.code}/integrations/add_email/`}>
        <Hidden csrf={props.csrf} />
        <FormError error={props.error} />
        <label for="address">Email address</label>
        <input
          type="email"
          id="address"
          name="address"
          value={v.address}
          required
          maxLength={254}
        />
        <p class="hint">
          Addresses other than your own stay unverified and receive nothing until verified.
        </p>
        <label for="name">Name (optional)</label>
        <input type="text" id="name" name="name" value={v.name} maxLength={100} />
        <fieldset>
          <legend>Send a message when a check</legend>
          <label class="inline">
            <input type="checkbox" name="down" value="1" checked={v.down} /> goes down
          </label>
          <label class="inline">
            <input type="checkbox" name="up" value="1" checked={v.up} /> comes back up
          </label>
        </fieldset>
        <NotifyLateField checked={v.notify_late} />
        <div class="actions row-actions">
          <button type="submit">Add the integration</button>
          <a href={`/projects/${project.code}/integrations/`}>Cancel</a>
        </div>
      </form>
    </>
  )
}

export interface WebhookValues {
  name: string
  method_down: string
  url_down: string
  body_down: string
  headers_down: string
  method_up: string
  url_up: string
  body_up: string
  headers_up: string
}

function WebhookDirection({ dir, v }: { dir: 'down' | 'up'; v: WebhookValues }) {
  const f = (name: string) => `${name}_${dir}` as keyof WebhookValues
  return (
    <fieldset>
      <legend>When a check goes {dir}</legend>
      <label for={f('url')}>URL</label>
      <input type="url" id={f('url')} name={f('url')} value={v[f('url')]} maxLength={1000} />
      <label for={f('method')}>Method</label>
      <select id={f('method')} name={f('method')}>
        {['GET', 'POST', 'PUT'].map((m) => (
          <option key={m} value={m} selected={v[f('method')] === m}>
            {m}
          </option>
        ))}
      </select>
      <label for={f('body')}>Body</label>
      <textarea id={f('body')} name={f('body')} rows={3} value={v[f('body')]} />
      <label for={f('headers')}>Headers</label>
      <textarea id={f('headers')} name={f('headers')} rows={2} value={v[f('headers')]} />
      <p class="hint">
        One <code>Name: value</code> per line. URL, body and headers may use <code>$NAME</code>,{' '}
        <code>$STATUS</code>, <code>$CODE</code> and the other Healthchecks placeholders.
      </p>
    </fieldset>
  )
}

export function AddWebhookPage(props: {
  project: Project
  csrf: string
  values: WebhookValues
  /** The "notify on late" box (not part of the webhook's configuration). */
  notifyLate: boolean
  error?: string
}) {
  const { project, values } = props
  return (
    <>
      <h1>Add a webhook integration</h1>
      <form
        method="post"
        class="card"
        action={`/projects/${project.code}/integrations/add_webhook/`}
      >
        <Hidden csrf={props.csrf} />
        <FormError error={props.error} />
        <label for="name">Name (optional)</label>
        <input type="text" id="name" name="name" value={values.name} maxLength={100} />
        <WebhookDirection dir="down" v={values} />
        <WebhookDirection dir="up" v={values} />
        <NotifyLateField checked={props.notifyLate} />
        <div class="actions row-actions">
          <button type="submit">Add the integration</button>
          <a href={`/projects/${project.code}/integrations/`}>Cancel</a>
        </div>
      </form>
    </>
  )
}

export function ChannelChecksPage(props: {
  project: Project
  channel: Channel
  checks: Check[]
  selected: Set<number>
  csrf: string
}) {
  const { project, channel, checks, selected } = props
  return (
    <>
      <h1>Checks served by {channel.name || channelTarget(channel)}</h1>
      <form method="post" class="card" action={`/integrations/${channel.code}/checks/`}>
        <Hidden csrf={props.csrf} />
        {checks.length === 0 && <p class="muted">This project has no checks yet.</p>}
        <fieldset>
          <legend>Notify about</legend>
          {checks.map((c) => (
            <label class="inline" key={c.code}>
              <input type="checkbox" name="check" value={c.code} checked={selected.has(c.id)} />{' '}
              {c.name || c.code}
            </label>
          ))}
        </fieldset>
        <div class="actions row-actions">
          <button type="submit">Save</button>
          <a href={`/projects/${project.code}/integrations/`}>Cancel</a>
        </div>
      </form>
    </>
  )
}
