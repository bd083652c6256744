/**
 * The check details page (Healthchecks' /checks/<c>/details/): how to ping it (UUID and slug
 * URLs with copy buttons and examples), its current status and why, its schedule, the run-time
 * chart, a 90-day status strip with downtime per month, the actions (edit, pause or resume,
 * delete), the event log (pings, status changes and notifications) in pages of 50 whose first
 * page grows live, and the danger zone (copy, transfer, clear events, remove).
 */

import { nextMonthStart, statusAt, uptimePercent } from '../../checks/index.js'
import type { Check, Project } from '../../db/index.js'
import { KEYS_HIDDEN_TEXT } from '../../projects/index.js'
import { COPY_BUTTONS_SCRIPT, LIVE_STATUS_SCRIPT } from '../assets/client-scripts.js'
import { CSRF_FIELD } from '../csrf.js'
import { scheduleSummary } from '../dashboard/dashboard-view.js'
import { LastPing, StatusBadge } from '../dashboard/status-badge.js'
import { formatDuration, formatInstant, formatRunTime } from '../time-format.js'
import { DependencyFacts } from './dependency-facts.js'
import { DurationChart } from './duration-chart.js'
import { EVENT_KINDS } from './event-log-filter.js'
import { EVENT_LOG_SCRIPT } from './event-log-script.js'
import { EventTable } from './event-table.js'
import { HoldCard } from './hold-card.js'
import type { CheckDetails } from './load-check-details.js'
import { pingExamples } from './ping-examples.js'
import { baselineZone, isLastRunUnusual } from './run-baseline.js'
import { RunTimeFacts } from './run-time-facts.js'
import { statusExplanation } from './status-text.js'

export const DETAILS_SCRIPTS = [
  LIVE_STATUS_SCRIPT.path,
  COPY_BUTTONS_SCRIPT.path,
  EVENT_LOG_SCRIPT.path,
]

export interface CheckDetailsPageProps {
  check: Check
  project: Project
  details: CheckDetails
  pingEndpoint: string
  /** PING_EMAIL_DOMAIN, or null: then no email address is shown. */
  pingEmailDomain?: string | null
  now: number
  tz: string
  csrf: string
  /** May change the check (owner, manager, member, superuser). */
  writable: boolean
  /** `copied`, `cleared` or `transferred`: what just happened, from the redirect's query. */
  notice?: string
}

function CopyableUrl({ id, label, url }: { id: string; label: string; url: string }) {
  return (
    <div class="ping-url">
      <span>{label}</span>
      <code id={id}>{url}</code>
      <button
        type="button"
        class="secondary"
        data-copy={id}
        hidden
        aria-label={`Copy the ${label} URL`}
      >
        Copy
      </button>
    </div>
  )
}

const ALL_KINDS_QUERY = `filtered=1&${EVENT_KINDS.map((k) => `kind=${k}`).join('&')}`

function EventLog({ check, details }: { check: Check; details: CheckDetails }) {
  const { rows, page, pages } = details
  // Only the first page grows live: newer events belong above it.
  const live =
    page === 1
      ? { url: `/checks/${check.code}/events.json?${ALL_KINDS_QUERY}`, cursor: details.cursor }
      : undefined
  return (
    <section class="card" aria-labelledby="events">
      <div class="page-head">
        <h2 id="events">Events</h2>
        <a href={`/checks/${check.code}/log/`}>Full event log with filters</a>
      </div>
      {rows.length === 0 && (
        <p class="muted" data-events-empty>
          No events yet.
        </p>
      )}
      <EventTable rows={rows} live={live} />
      {pages > 1 && (
        <nav class="pager" aria-label="Event pages">
          {page > 1 && <a href={`?page=${page - 1}#events`}>Newer events</a>}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages && <a href={`?page=${page + 1}#events`}>Older events</a>}
        </nav>
      )}
    </section>
  )
}

/** Healthchecks' "danger zone": copy, transfer, clear events and remove (read-write roles). */
function DangerZone({ check, csrf }: { check: Check; csrf: string }) {
  return (
    <section class="card" aria-labelledby="danger-zone">
      <h2 id="danger-zone">Danger zone</h2>
      <div class="row-actions">
        <form method="post" action={`/checks/${check.code}/copy/`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <button type="submit" class="secondary">
            Create a copy
          </button>
        </form>
        <a class="button secondary" href={`/checks/${check.code}/transfer/`}>
          Transfer to another project…
        </a>
        <a class="button secondary" href={`/checks/${check.code}/clear_events/`}>
          Clear events…
        </a>
        <a class="button secondary" href={`/checks/${check.code}/remove/`}>
          Remove…
        </a>
      </div>
    </section>
  )
}

const NOTICES: Record<string, string> = {
  copied: 'This is the new copy of the check. It has its own ping URL.',
  cleared: 'The events were cleared: the check starts over as new.',
  transferred: 'The check was moved to this project. Its ping URL is unchanged.',
  snoozed: 'The check is snoozed: no alerts until the snooze ends.',
  unsnoozed: 'The snooze has ended: alerts are sent again.',
}

function Downtime({ details, tz, now }: { details: CheckDetails; tz: string; now: number }) {
  const days = [...details.days].reverse()
  const monthName = (ms: number) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: tz, month: 'long', year: 'numeric' }).format(ms)
  return (
    <section class="card" aria-labelledby="downtime">
      <h2 id="downtime">Last 90 days</h2>
      <div
        class="strip"
        role="img"
        aria-label={`Status per day for the last 90 days: ${days.filter((d) => d.durationMs > 0).length} days with downtime.`}
      >
        {days.map((d) => (
          <span
            key={d.boundary}
            class={d.noData ? 'nodata' : d.durationMs > 0 ? 'down' : undefined}
            title={`${formatInstant(d.boundary, tz).split(',')[0]}: ${d.noData ? 'no data' : d.durationMs > 0 ? `down for ${formatDuration(d.durationMs / 1000)}` : 'no downtime'}`}
          />
        ))}
      </div>
      <p class="legend">
        <span>Green: no downtime</span> <span>Red: some downtime</span> <span>Grey: no data</span>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Downtime</th>
            <th scope="col">Uptime</th>
          </tr>
        </thead>
        <tbody>
          {details.months.map((m) => (
            <tr key={m.boundary}>
              <td>{monthName(m.boundary)}</td>
              <td>
                {m.noData
                  ? '–'
                  : m.count === 0
                    ? 'All good!'
                    : `${m.count} ${m.count === 1 ? 'downtime' : 'downtimes'}, ${formatDuration(m.durationMs / 1000)} total`}
              </td>
              <td>
                {m.noData ? '–' : `${uptimePercent(m, nextMonthStart(m.boundary, tz)).toFixed(2)}%`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        Times in {tz}; as of {formatInstant(now, tz)}.
      </p>
    </section>
  )
}

export function CheckDetailsPage({
  check,
  project,
  details,
  pingEndpoint,
  pingEmailDomain = null,
  now,
  tz,
  csrf,
  writable,
  notice,
}: CheckDetailsPageProps) {
  const uuidUrl = `${pingEndpoint}${check.code}`
  // The slug URL carries the project's ping key, which read-only members may not see (issue #11
  // F6); `writable` is canSeeProjectKeys(role).
  const slugUrl =
    writable && project.ping_key && check.slug
      ? `${pingEndpoint}${project.ping_key}/${check.slug}`
      : null
  const status = statusAt(check, now)
  return (
    <>
      <p class="breadcrumb">
        <a href="/projects/">Projects</a> /{' '}
        <a href={`/projects/${project.code}/checks/`}>{project.name}</a> /
      </p>
      <div class="page-head">
        <h1>{check.name || check.code}</h1>
        <div class="row-actions">
          <a class="button secondary" href={`/checks/${check.code}/edit`}>
            Edit
          </a>
          {check.status === 'paused' ? (
            <form method="post" action={`/checks/${check.code}/resume/`}>
              <input type="hidden" name={CSRF_FIELD} value={csrf} />
              <button type="submit" class="secondary">
                Resume
              </button>
            </form>
          ) : (
            <form method="post" action={`/checks/${check.code}/pause/`}>
              <input type="hidden" name={CSRF_FIELD} value={csrf} />
              <button type="submit" class="secondary">
                Pause
              </button>
            </form>
          )}
          <a class="button secondary" href={`/checks/${check.code}/remove/`}>
            Delete…
          </a>
        </div>
      </div>
      {notice && NOTICES[notice] && (
        <p class="notice" role="status">
          {NOTICES[notice]}
        </p>
      )}
      {check.desc && <p class="desc">{check.desc}</p>}
      {check.tags && (
        <p>
          {check.tags
            .split(' ')
            .filter((t) => t)
            .map((t) => (
              <a
                key={t}
                class="tag"
                href={`/projects/${project.code}/checks/?tag=${encodeURIComponent(t)}`}
              >
                {t}
              </a>
            ))}
        </p>
      )}

      <section
        class="card"
        aria-labelledby="status"
        data-live-url={`/checks/${check.code}/status.json`}
      >
        <h2 id="status">Current status</h2>
        <p data-check={check.code}>
          <StatusBadge status={status} /> · last ping{' '}
          <LastPing lastPing={check.last_ping} now={now} tz={tz} />
        </p>
        {statusExplanation(check, now, tz).map((line) => (
          <p key={line}>{line}</p>
        ))}
        <dl class="facts">
          <dt>Schedule</dt>
          <dd>{scheduleSummary(check)}</dd>
          <dt>Integrations</dt>
          <dd>
            {details.channelCount} <a href={`/projects/${project.code}/integrations/`}>(manage)</a>
          </dd>
          <DependencyFacts {...details.relatives} />
          <dt>Pings received</dt>
          <dd>{check.n_pings}</dd>
          {check.last_duration_ms !== null && (
            <>
              <dt>Last run time</dt>
              <dd>
                {formatRunTime(check.last_duration_ms)}
                {isLastRunUnusual(check, details.baseline) && (
                  <strong class="unusual-duration"> unusual duration</strong>
                )}
              </dd>
            </>
          )}
          <RunTimeFacts check={check} />
        </dl>
      </section>

      <HoldCard check={check} hold={details.hold} tz={tz} csrf={csrf} writable={writable} />

      <section class="card" aria-labelledby="how-to-ping">
        <h2 id="how-to-ping">How to ping</h2>
        <p>Make your job request this URL when it finishes successfully:</p>
        <CopyableUrl id="ping-url-uuid" label="UUID" url={uuidUrl} />
        {slugUrl ? (
          <CopyableUrl id="ping-url-slug" label="Slug" url={slugUrl} />
        ) : (
          <p class="muted">
            {!writable
              ? KEYS_HIDDEN_TEXT.slugUrl
              : project.ping_key
                ? 'Give the check a slug to ping it by name.'
                : 'Slug URLs are off: the project has no ping key.'}
          </p>
        )}
        {pingEmailDomain && (
          <p>
            Or send an email to <code id="ping-email">{`${check.code}@${pingEmailDomain}`}</code>
            {slugUrl && (
              <>
                {' '}
                or{' '}
                <code id="ping-email-slug">{`${project.ping_key}+${check.slug}@${pingEmailDomain}`}</code>
              </>
            )}
            .
          </p>
        )}
        <p class="hint">
          Append <code>/start</code> when the job starts, <code>/fail</code> when it fails,{' '}
          <code>/log</code> for a message, or the exit status (<code>/0</code>…<code>/255</code>).
        </p>
        <details class="examples">
          <summary>Examples: curl, wget, PowerShell, Python, Node.js</summary>
          {pingExamples(uuidUrl).map((ex) => (
            <div key={ex.id}>
              <h3>{ex.label}</h3>
              <pre>
                <code id={`example-${ex.id}`}>{ex.code}</code>
              </pre>
              <button
                type="button"
                class="secondary"
                data-copy={`example-${ex.id}`}
                hidden
                aria-label={`Copy the ${ex.label} example`}
              >
                Copy
              </button>
            </div>
          ))}
        </details>
      </section>

      <section class="card" aria-labelledby="warnings">
        <h2 id="warnings">Recent warnings</h2>
        {details.warnings.length === 0 ? (
          <p class="muted">
            None.{' '}
            {check.warn_after === null
              ? 'No warning stage is set.'
              : `Warns ${formatDuration(check.warn_after)} before the grace time ends.`}
          </p>
        ) : (
          <ul>
            {details.warnings.map((w) => (
              <li key={w.id}>
                <time>{formatInstant(w.created, tz)}</time> {w.kind}: {w.detail}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="card" aria-labelledby="run-times">
        <h2 id="run-times">Run times</h2>
        <DurationChart pings={details.pings} baseline={details.baseline} tz={baselineZone(check)} />
      </section>

      <Downtime details={details} tz={tz} now={now} />

      <EventLog check={check} details={details} />

      {writable && <DangerZone check={check} csrf={csrf} />}
    </>
  )
}
