/**
 * The add and edit check pages: name, slug, tags and description; the schedule (a period with
 * grace, or a cron or OnCalendar expression with its time zone) with a preview of the next
 * expected pings in the check's zone and the viewer's (server-rendered on "Preview schedule",
 * refreshed as you type by a small script); and the advanced rules (HTTP methods, keyword
 * filters, manual resume). Fields for the other schedule kinds hide with CSS `:has()`, no script.
 */
import type { Check, Project } from '../../db/index.js'
import { DURATION_SLIDERS_SCRIPT, SCHEDULE_PREVIEW_SCRIPT } from '../assets/client-scripts.js'
import { CSRF_FIELD } from '../csrf.js'
import type { CheckFormValues, FormErrors, SchedulePreview, Unit } from './check-form.js'
import { type DependencyChoice, DependencyPicker } from './dependency-picker.js'
import { InsightFieldset } from './insight-fieldset.js'
import { MaintenanceField, type MaintenancePreview } from './maintenance-field.js'

export const CHECK_FORM_SCRIPTS = [SCHEDULE_PREVIEW_SCRIPT.path, DURATION_SLIDERS_SCRIPT.path]
export const SCHEDULE_PREVIEW_URL = '/checks/schedule-preview.json'

const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]
const UNITS: Unit[] = ['minutes', 'hours', 'days']

export interface CheckFormPageProps {
  project: Project
  /** The check being edited; absent when adding. */
  check?: Check
  values: CheckFormValues
  errors: FormErrors
  preview: SchedulePreview | null
  /** The next maintenance windows (maintenance-field.tsx); null when there are none. */
  maintenance?: MaintenancePreview | null
  csrf: string
  /** The project's other checks for the dependency picker (issue 14). */
  dependencyChoices?: DependencyChoice[]
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="field-error" id={`${id}-error`} role="alert">
      {error}
    </p>
  ) : null
}

/** aria attributes tying an input to its error message. */
function invalid(id: string, error?: string) {
  return error ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-error` } : {}
}

function TextField(props: {
  id: keyof CheckFormValues
  label: string
  value: string
  error?: string
  hint?: string
  maxLength?: number
}) {
  const { id, label, value, error, hint, maxLength } = props
  return (
    <>
      <label for={id}>{label}</label>
      <input
        type="text"
        id={id}
        name={id}
        value={value}
        maxLength={maxLength}
        {...invalid(id, error)}
      />
      {hint && <p class="hint">{hint}</p>}
      <FieldError id={id} error={error} />
    </>
  )
}

function DurationField(props: {
  name: 'timeout' | 'grace'
  label: string
  value: string
  unit: Unit
  error?: string
  hint: string
}) {
  const id = `${props.name}_value`
  return (
    <div class="grid-2">
      <div>
        <label for={id}>{props.label}</label>
        <input
          type="number"
          id={id}
          name={id}
          value={props.value}
          min="1"
          step="any"
          inputMode="decimal"
          {...invalid(id, props.error)}
        />
      </div>
      <div>
        <label for={`${props.name}_unit`}>{props.label} unit</label>
        <select id={`${props.name}_unit`} name={`${props.name}_unit`}>
          {UNITS.map((u) => (
            <option key={u} value={u} selected={u === props.unit}>
              {u}
            </option>
          ))}
        </select>
      </div>
      {/* Shown and kept in step with the typed value by the duration-sliders script. */}
      <div class="duration-slider" data-duration-slider={props.name} hidden>
        <label for={`${props.name}_slider`}>{props.label} slider</label>
        <input type="range" id={`${props.name}_slider`} min="0" max="0" step="1" value="0" />
      </div>
      <p class="hint">{props.hint}</p>
      <FieldError id={id} error={props.error} />
    </div>
  )
}

export function PreviewBox({ preview }: { preview: SchedulePreview | null }) {
  return (
    <div id="schedule-preview" class="preview" aria-live="polite">
      {preview && <h3>Next expected pings</h3>}
      {preview && !preview.ok && (
        <p class="error" role="alert">
          {preview.error}
        </p>
      )}
      {preview?.ok && (
        <>
          <p class="muted">{preview.summary}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">In {preview.checkZoneName}</th>
                <th scope="col">In your zone ({preview.viewerZoneName})</th>
              </tr>
            </thead>
            <tbody>
              {preview.runs.map((r) => (
                <tr key={r.at}>
                  <td>{r.checkZone}</td>
                  <td>{r.viewerZone}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  )
}

function Checkbox(props: { name: keyof CheckFormValues; checked: boolean; label: string }) {
  return (
    <label class="inline">
      <input type="checkbox" name={props.name} value="1" checked={props.checked} /> {props.label}
    </label>
  )
}

export function CheckFormPage({
  project,
  check,
  values: v,
  errors,
  preview,
  maintenance = null,
  csrf,
  dependencyChoices = [],
}: CheckFormPageProps) {
  const action = check ? `/checks/${check.code}/edit` : `/projects/${project.code}/checks/add`
  const back = check ? `/checks/${check.code}/details/` : `/projects/${project.code}/checks/`
  return (
    <>
      <p class="breadcrumb">
        <a href="/projects/">Projects</a> /{' '}
        <a href={`/projects/${project.code}/checks/`}>{project.name}</a> /
        {check && (
          <>
            {' '}
            <a href={back}>{check.name || check.code}</a> /
          </>
        )}
      </p>
      <h1>{check ? 'Edit check' : 'Add a check'}</h1>
      {Object.keys(errors).length > 0 && (
        <p class="error" role="alert">
          The check was not saved: correct the fields marked below.
        </p>
      )}
      <form
        method="post"
        action={action}
        class="card check-form"
        data-preview-url={SCHEDULE_PREVIEW_URL}
      >
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <fieldset>
          <legend>Name and tags</legend>
          <TextField id="name" label="Name" value={v.name} error={errors.name} maxLength={100} />
          <TextField
            id="slug"
            label="Slug"
            value={v.slug}
            error={errors.slug}
            maxLength={100}
            hint={
              check
                ? 'For ping URLs of the form <ping key>/<slug>: lowercase letters, digits, - and _.'
                : 'Leave empty to derive it from the name. Used in ping URLs of the form <ping key>/<slug>.'
            }
          />
          <TextField
            id="tags"
            label="Tags"
            value={v.tags}
            error={errors.tags}
            hint="Separated by spaces, e.g. prod backups."
          />
          <label for="desc">Description</label>
          <textarea id="desc" name="desc" rows={3} {...invalid('desc', errors.desc)}>
            {v.desc}
          </textarea>
          <FieldError id="desc" error={errors.desc} />
        </fieldset>

        <fieldset>
          <legend>Schedule</legend>
          <div role="radiogroup" aria-label="Schedule kind">
            {(
              [
                ['simple', 'Simple period'],
                ['cron', 'Cron'],
                ['oncalendar', 'systemd OnCalendar'],
              ] as const
            ).map(([kind, label]) => (
              <label class="inline" key={kind}>
                <input
                  type="radio"
                  name="kind"
                  value={kind}
                  id={`kind-${kind}`}
                  checked={v.kind === kind}
                />{' '}
                {label}
              </label>
            ))}
          </div>
          <div class="only-simple">
            <DurationField
              name="timeout"
              label="Period"
              value={v.timeout_value}
              unit={v.timeout_unit}
              error={errors.timeout_value}
              hint="How often the job runs: a ping is expected this long after the previous one."
            />
          </div>
          <div class="only-expression">
            <label for="schedule">Expression</label>
            <textarea
              id="schedule"
              name="schedule"
              rows={2}
              {...invalid('schedule', errors.schedule)}
            >
              {v.schedule}
            </textarea>
            <p class="hint">
              Cron: five fields, e.g. <code>0 5 * * *</code>. OnCalendar: one or more lines, e.g.{' '}
              <code>Mon..Fri 08:00</code>.
            </p>
            <FieldError id="schedule" error={errors.schedule} />
            <label for="tz">Time zone</label>
            <input
              type="text"
              id="tz"
              name="tz"
              value={v.tz}
              list="time-zones"
              autocomplete="off"
              {...invalid('tz', errors.tz)}
            />
            <datalist id="time-zones">
              {TIME_ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <FieldError id="tz" error={errors.tz} />
          </div>
          <DurationField
            name="grace"
            label="Grace time"
            value={v.grace_value}
            unit={v.grace_unit}
            error={errors.grace_value}
            hint="How long to wait after a ping is due before the check goes down and alerts are sent."
          />
          <PreviewBox preview={preview} />
        </fieldset>

        <DependencyPicker
          choices={dependencyChoices}
          selected={v.depends_on}
          error={errors.depends_on}
        />
        <MaintenanceField value={v.maintenance} error={errors.maintenance} preview={maintenance} />

        <details
          class="advanced"
          open={Boolean(
            errors.start_kw ||
              errors.success_kw ||
              errors.failure_kw ||
              errors.alert_failures ||
              errors.alert_delay ||
              errors.max_runtime ||
              errors.min_runtime ||
              errors.new_source_days ||
              errors.fail_window ||
              errors.fail_threshold ||
              errors.recover_successes ||
              errors.warn_after,
          )}
        >
          <summary>
            Advanced: HTTP methods, keyword filters, manual resume, flapping protection, run insight
          </summary>
          <label for="methods">Accepted HTTP methods</label>
          <select id="methods" name="methods">
            <option value="" selected={v.methods === ''}>
              HEAD, GET and POST
            </option>
            <option value="POST" selected={v.methods === 'POST'}>
              POST only (GET and HEAD are ignored)
            </option>
          </select>
          <fieldset>
            <legend>Keyword filters</legend>
            <Checkbox
              name="filter_subject"
              checked={v.filter_subject}
              label="Look in email subjects"
            />
            <Checkbox name="filter_body" checked={v.filter_body} label="Look in email bodies" />
            <Checkbox
              name="filter_http_body"
              checked={v.filter_http_body}
              label="Look in HTTP request bodies"
            />
            <Checkbox
              name="filter_default_fail"
              checked={v.filter_default_fail}
              label="Treat a ping that matches no keyword as a failure"
            />
            <TextField
              id="start_kw"
              label="Start keywords"
              value={v.start_kw}
              error={errors.start_kw}
              hint="Comma-separated."
            />
            <TextField
              id="success_kw"
              label="Success keywords"
              value={v.success_kw}
              error={errors.success_kw}
              hint="Comma-separated."
            />
            <TextField
              id="failure_kw"
              label="Failure keywords"
              value={v.failure_kw}
              error={errors.failure_kw}
              hint="Comma-separated."
            />
          </fieldset>
          <Checkbox
            name="manual_resume"
            checked={v.manual_resume}
            label="Manual resume: once down, stay down (ignore pings) until resumed by hand"
          />
          <fieldset>
            <legend>Flapping protection</legend>
            <TextField
              id="alert_failures"
              label="Alert after this many failures in a row"
              value={v.alert_failures}
              error={errors.alert_failures}
              hint="1 to 100; 1 alerts on the first failure."
            />
            <TextField
              id="alert_delay"
              label="Alert only after being down for (minutes)"
              value={v.alert_delay}
              error={errors.alert_delay}
              hint="0 to 1440; 0 alerts at once."
            />
          </fieldset>
          <fieldset>
            <legend>Run time limits</legend>
            <TextField
              id="max_runtime"
              label="Maximum run time (minutes)"
              value={v.max_runtime}
              error={errors.max_runtime}
              hint="After /start (or the last /progress ping) the run must finish within this, else the check goes down: ran too long. The grace time then only bounds a missing start. Empty: the grace time bounds runs."
            />
            <TextField
              id="min_runtime"
              label="Minimum run time (seconds)"
              value={v.min_runtime}
              error={errors.min_runtime}
              hint="A /start → success run that is shorter takes the check down: finished too fast. Empty: no lower bound."
            />
          </fieldset>
          <InsightFieldset v={v} error={errors.new_source_days} />
          <fieldset>
            <legend>Failure and recovery thresholds, warning</legend>
            <TextField
              id="fail_threshold"
              label="Alert when this many of the last runs failed"
              value={v.fail_threshold}
              error={errors.fail_threshold}
              hint="With the next field; empty turns it off. Start, log and ignored pings are not runs."
            />
            <TextField
              id="fail_window"
              label="…out of the last (runs)"
              value={v.fail_window}
              error={errors.fail_window}
              hint="1 to 100."
            />
            <TextField
              id="recover_successes"
              label="Announce recovery after this many successes in a row"
              value={v.recover_successes}
              error={errors.recover_successes}
              hint="1 to 100; the status goes up at the first success either way."
            />
            <TextField
              id="warn_after"
              label="Warn this many minutes before the grace time ends"
              value={v.warn_after}
              error={errors.warn_after}
              hint="Empty: no warning. Integrations with “notify on late” get it."
            />
          </fieldset>
        </details>

        <div class="actions row-actions">
          <button type="submit" name="action" value="save">
            {check ? 'Save changes' : 'Add check'}
          </button>
          <button type="submit" name="action" value="preview" class="secondary">
            Preview schedule
          </button>
          <a href={back}>Cancel</a>
        </div>
      </form>
    </>
  )
}

/** The confirmation before a check and its whole history are deleted. */
export function DeleteCheckPage({
  check,
  project,
  csrf,
}: {
  check: Check
  project: Project
  csrf: string
}) {
  return (
    <div class="card">
      <h1>Delete “{check.name || check.code}”?</h1>
      <p>
        The check, its ping URL and its whole history (pings, status changes, notifications) go away
        for good. Jobs that still ping it will get “not found”.
      </p>
      <form method="post" action={`/checks/${check.code}/remove/`} class="row-actions">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button type="submit" class="danger">
          Delete the check
        </button>
        <a href={`/checks/${check.code}/details/`}>Keep it</a>
      </form>
      <p class="muted">Project: {project.name}</p>
    </div>
  )
}
