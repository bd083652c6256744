/**
 * The check form's dependency picker (issue 14): one checkbox per other check of the project;
 * ticked ones are the checks this one depends on (`depends_on`, saved through the API's use
 * cases, which refuse cycles). While a ticked check is down, this check's down alerts wait.
 */
import { dependsOnOf, projectChecks } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { StoredStatus } from '../../db/index.js'

export interface DependencyChoice {
  code: string
  name: string
  status: StoredStatus
}

/** The project's checks other than `checkId`, by name. */
export async function loadDependencyChoices(
  ctx: Ctx,
  projectId: number,
  checkId: number | null,
): Promise<DependencyChoice[]> {
  const checks = await projectChecks(ctx.db.kysely, projectId)
  return checks
    .filter((c) => c.id !== checkId)
    .map((c) => ({ code: c.code, name: c.name || c.code, status: c.status }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code))
}

/** The UUIDs the edit form starts with. */
export function currentDependsOn(ctx: Ctx, checkId: number): Promise<string[]> {
  return dependsOnOf(ctx.db.kysely, checkId)
}

/** A refused depends_on as the form shows it next to the picker, or null for other errors. */
export function dependencyFormError(e: { kind: string; field?: unknown; problem?: unknown }) {
  return e.kind === 'invalid-field' && e.field === 'depends_on'
    ? `Not saved: the chosen checks ${String(e.problem).replace(/^names/, 'include')}.`
    : null
}

export function DependencyPicker(props: {
  choices: DependencyChoice[]
  selected: string[]
  error?: string
}) {
  const selected = new Set(props.selected)
  return (
    <fieldset class="dependency-picker">
      <legend>Depends on</legend>
      <p class="hint">
        While a check ticked here is down, this check’s down alerts wait; if it is still down when
        that check recovers, one alert follows.
      </p>
      {props.choices.length === 0 ? (
        <p class="muted">No other checks in this project.</p>
      ) : (
        props.choices.map((c) => (
          <label class="inline" key={c.code}>
            <input
              type="checkbox"
              name="depends_on"
              value={c.code}
              checked={selected.has(c.code)}
            />{' '}
            {c.name} <span class="muted">({c.status})</span>
          </label>
        ))
      )}
      {props.error && (
        <p class="field-error" id="depends_on-error" role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  )
}
