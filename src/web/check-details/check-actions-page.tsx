/**
 * The confirmation pages of a check's danger-zone actions (check-actions-routes.tsx) as pure
 * views: clear its events, and move it to another project the user may change.
 */
import type { Check, Project } from '../../db/index.js'
import { CSRF_FIELD } from '../csrf.js'

export function ClearEventsPage({ check, csrf }: { check: Check; csrf: string }) {
  return (
    <div class="card">
      <h1>Clear the events of “{check.name || check.code}”?</h1>
      <p>
        Its pings, status changes and notifications are deleted for good, and the check starts over
        as new. The check, its ping URL and its settings stay.
      </p>
      <form method="post" action={`/checks/${check.code}/clear_events/`} class="row-actions">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button type="submit" class="danger">
          Clear events
        </button>
        <a href={`/checks/${check.code}/details/`}>Keep them</a>
      </form>
    </div>
  )
}

export function TransferCheckPage({
  check,
  project,
  targets,
  csrf,
}: {
  check: Check
  project: Project
  /** The other projects in which the user may change checks. */
  targets: Project[]
  csrf: string
}) {
  return (
    <div class="card">
      <h1>Transfer “{check.name || check.code}” to another project</h1>
      <p>
        The check keeps its ping URL and history. It will notify through every integration of the
        new project instead of those of “{project.name}”.
      </p>
      {targets.length === 0 ? (
        <p class="muted">
          You have no other project in which you can change checks.{' '}
          <a href={`/checks/${check.code}/details/`}>Back to the check</a>
        </p>
      ) : (
        <form method="post" action={`/checks/${check.code}/transfer/`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <fieldset>
            <legend>Move it to</legend>
            {targets.map((p, i) => (
              <label key={p.code} class="inline">
                <input type="radio" name="project" value={p.code} required checked={i === 0} />{' '}
                {p.name}
              </label>
            ))}
          </fieldset>
          <div class="row-actions">
            <button type="submit">Transfer</button>
            <a href={`/checks/${check.code}/details/`}>Cancel</a>
          </div>
        </form>
      )}
    </div>
  )
}
