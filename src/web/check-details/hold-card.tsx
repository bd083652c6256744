/**
 * The "Snooze and maintenance" card of the details page (issue 14): the snooze in force with an
 * end button, or a snooze form with durations (read-write roles); the maintenance window in force
 * and the next windows with DST marks; the snooze history. A pure view.
 */
import type { CheckHold } from '../../checks/index.js'
import type { Check } from '../../db/index.js'
import { WindowList } from '../check-form/maintenance-field.js'
import { CSRF_FIELD } from '../csrf.js'
import { formatInstant } from '../time-format.js'

export const SNOOZE_CHOICES: [minutes: number, label: string][] = [
  [30, '30 minutes'],
  [60, '1 hour'],
  [240, '4 hours'],
  [1440, '1 day'],
  [10_080, '1 week'],
]

const SOURCES: Record<string, string> = { api: 'API', web: 'web', ping: 'ping URL' }

export function HoldCard(props: {
  check: Check
  hold: CheckHold
  tz: string
  csrf: string
  writable: boolean
}) {
  const { check, hold, tz, csrf, writable } = props
  const base = `/checks/${check.code}`
  return (
    <section class="card" aria-labelledby="snooze-maintenance">
      <h2 id="snooze-maintenance">Snooze and maintenance</h2>
      {hold.snoozedUntil !== null ? (
        <div class="row-actions">
          <p data-snoozed>
            <strong>Snoozed</strong> until {formatInstant(hold.snoozedUntil, tz)}
            {hold.snoozeReason && <> ({hold.snoozeReason})</>}: no alerts until then.
          </p>
          {writable && (
            <form method="post" action={`${base}/unsnooze/`}>
              <input type="hidden" name={CSRF_FIELD} value={csrf} />
              <button type="submit" class="secondary">
                End snooze
              </button>
            </form>
          )}
        </div>
      ) : (
        writable && (
          <form method="post" action={`${base}/snooze/`} class="row-actions">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <label for="snooze-minutes">Snooze alerts for</label>
            <select id="snooze-minutes" name="minutes">
              {SNOOZE_CHOICES.map(([m, label]) => (
                <option key={m} value={String(m)}>
                  {label}
                </option>
              ))}
            </select>
            <label for="snooze-reason" class="visually-hidden">
              Reason
            </label>
            <input
              id="snooze-reason"
              name="reason"
              maxLength={200}
              placeholder="Reason (optional)"
            />
            <button type="submit" class="secondary">
              Snooze
            </button>
          </form>
        )
      )}
      {hold.maintenanceUntil !== null && (
        <p data-maintenance>
          <strong>In a maintenance window</strong> until {formatInstant(hold.maintenanceUntil, tz)}:
          a down found now is alerted at its end if still down.
        </p>
      )}
      {hold.next.length > 0 ? (
        <>
          <h3>Next maintenance windows</h3>
          <WindowList windows={hold.next} />
          {hold.projectWindows > 0 && (
            <p class="muted">Including {hold.projectWindows} window(s) of the project.</p>
          )}
        </>
      ) : (
        <p class="muted">
          No maintenance windows. <a href={`${base}/edit`}>Add one</a> in the check's settings.
        </p>
      )}
      {hold.history.length > 0 && (
        <details>
          <summary>Snooze history</summary>
          <ul>
            {hold.history.map((s) => (
              <li key={s.id}>
                {formatInstant(s.created, tz)}: until {formatInstant(s.until, tz)} by{' '}
                {SOURCES[s.source] ?? s.source}
                {s.reason && <> ({s.reason})</>}
                {s.ended !== null && <>, ended {formatInstant(s.ended, tz)}</>}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  )
}
