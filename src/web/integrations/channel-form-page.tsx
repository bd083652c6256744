/**
 * The generic add and edit forms of a channel, rendered from the kind's `formFields`: every input
 * labelled, the field's own error beside it, secrets never shown back (on edit a blank secret
 * keeps the stored one). A kind this instance cannot send shows why instead of a form.
 */
import type { Channel, Project } from '../../db/index.js'
import type { FormField, Integration } from '../../integrations/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { type FormValues, isSecretField, NOTIFY_LATE_FIELD } from './channel-form.js'

/** The form's error: on one field (shown beside it) or about the whole form. */
export interface FormProblem {
  field?: string
  message: string
}

function FieldInput(props: {
  field: FormField
  value: string | boolean
  error?: string
  editing: boolean
}) {
  const { field: f, value, error } = props
  const id = `f-${f.name}`
  const described = [f.help ? `${id}-help` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ')
  const common = {
    id,
    name: f.name,
    'aria-describedby': described || undefined,
    'aria-invalid': error ? ('true' as const) : undefined,
  }
  const keep = props.editing && isSecretField(f)
  // A kept secret is not required again: leaving it blank keeps the stored one.
  const required = f.required && !keep
  if (f.type === 'checkbox') {
    return (
      <div class="field">
        <label class="inline" for={id}>
          <input {...common} type="checkbox" value="1" checked={value === true} /> {f.label}
        </label>
        <FieldNotes id={id} help={f.help} error={error} />
      </div>
    )
  }
  const text = typeof value === 'string' ? value : ''
  return (
    <div class="field">
      <label for={id}>
        {f.label}
        {f.required ? '' : ' (optional)'}
      </label>
      {f.type === 'select' ? (
        <select {...common}>
          {(f.options ?? []).map((o) => (
            <option key={o.value} value={o.value} selected={o.value === text}>
              {o.label}
            </option>
          ))}
        </select>
      ) : f.type === 'textarea' ? (
        <textarea {...common} rows={3} value={text} />
      ) : (
        <input
          {...common}
          // Preact's typings split input types into exclusive unions; all three take a text value.
          type={inputType(f) as 'text'}
          inputMode={f.type === 'number' ? 'numeric' : undefined}
          value={text}
          required={required}
          autocomplete={isSecretField(f) ? 'off' : undefined}
        />
      )}
      {keep && <p class="hint">Leave blank to keep the current value.</p>}
      <FieldNotes id={id} help={f.help} error={error} />
    </div>
  )
}

function inputType(f: FormField): 'text' | 'url' | 'password' {
  if (isSecretField(f)) return 'password'
  return f.type === 'url' ? 'url' : 'text'
}

function FieldNotes({ id, help, error }: { id: string; help?: string; error?: string }) {
  return (
    <>
      {help && (
        <p class="hint" id={`${id}-help`}>
          {help}
        </p>
      )}
      {error && (
        <p class="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </>
  )
}

/**
 * The "notify on late" checkbox (`notify_late`: warnings, alerts/process-warnings.ts), shared by
 * every channel form. An incident service gets a note instead: it never receives warnings.
 */
export function NotifyLateField(props: { checked: boolean; incidentService?: string }) {
  if (props.incidentService)
    return (
      <p class="hint">
        Warnings (a check's warning stage, run insight) are not sent to {props.incidentService}: no
        recovery would close the incident a warning opened.
      </p>
    )
  return (
    <div class="field">
      <label>
        <input type="checkbox" name={NOTIFY_LATE_FIELD} value="1" checked={props.checked} /> Notify
        on late: also send warnings (a check's warning stage)
      </label>
    </div>
  )
}

/** The add (no `channel`) or edit form of a channel of `integration`'s kind. */
export function ChannelFormPage(props: {
  project: Project
  integration: Integration
  channel?: Channel
  csrf: string
  name: string
  values: FormValues
  /** Set when this instance cannot send the kind: shown instead of the form. */
  unavailable?: string | null
  problem?: FormProblem
  /** The "notify on late" box as posted; default: the channel's setting (off for a new one). */
  notifyLate?: boolean
}) {
  const { project, integration, channel, values, problem } = props
  const editing = channel !== undefined
  const title = editing
    ? `Edit the ${integration.label} integration`
    : `Add a ${integration.label} integration`
  const action = editing
    ? `/integrations/${channel.code}/edit/`
    : `/projects/${project.code}/integrations/add/${integration.kind}/`
  const back = `/projects/${project.code}/integrations/`
  if (props.unavailable) {
    return (
      <>
        <h1>{title}</h1>
        <div class="card">
          <p class="error" role="alert">
            {props.unavailable}
          </p>
          <p class="muted">
            The server administrator can enable it in the server's configuration.{' '}
            <a href={back}>Back to the integrations</a>
          </p>
        </div>
      </>
    )
  }
  return (
    <>
      <h1>{title}</h1>
      <form method="post" class="card" action={action}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        {problem && !problem.field && (
          <p class="error" role="alert">
            {problem.message}
          </p>
        )}
        {(integration.formFields ?? []).map((f) => (
          <FieldInput
            key={f.name}
            field={f}
            value={values[f.name] ?? ''}
            error={problem?.field === f.name ? problem.message : undefined}
            editing={editing}
          />
        ))}
        <div class="field">
          <label for="channel_name">Name (optional)</label>
          <input
            type="text"
            id="channel_name"
            name="channel_name"
            value={props.name}
            maxLength={100}
          />
        </div>
        <NotifyLateField
          checked={props.notifyLate ?? props.channel?.notify_late === 1}
          incidentService={integration.opensIncidents ? integration.label : undefined}
        />
        <div class="actions row-actions">
          <button type="submit">{editing ? 'Save' : 'Add the integration'}</button>
          <a href={back}>Cancel</a>
        </div>
      </form>
    </>
  )
}
