/**
 * The full event log page (Healthchecks' /checks/<c>/log/): every retained event of a check, up
 * to 1,000 pings with their status changes and notifications, filtered by kind (checkboxes) and
 * by a date range in the viewer's zone (date fields), in pages of 100. A plain GET form, so the
 * filters work without JavaScript; with it, the first page of an open-ended range grows live.
 */
import type { Check, Project } from '../../db/index.js'
import { EVENT_KINDS, type EventLogFilter, filterQuery, KIND_LABELS } from './event-log-filter.js'
import { EventTable } from './event-table.js'
import type { CheckLog } from './load-check-log.js'

export interface CheckLogPageProps {
  check: Check
  project: Project
  filter: EventLogFilter
  log: CheckLog
  tz: string
}

export function CheckLogPage({ check, project, filter, log, tz }: CheckLogPageProps) {
  const query = filterQuery(filter).toString()
  const pageLink = (page: number) => `?${query}&page=${page}`
  const live =
    log.page === 1 && filter.toMs === null
      ? { url: `/checks/${check.code}/events.json?${query}`, cursor: log.cursor }
      : undefined
  return (
    <>
      <p class="breadcrumb">
        <a href="/projects/">Projects</a> /{' '}
        <a href={`/projects/${project.code}/checks/`}>{project.name}</a> /{' '}
        <a href={`/checks/${check.code}/details/`}>{check.name || check.code}</a> /
      </p>
      <h1>Event log</h1>
      <form method="get" action={`/checks/${check.code}/log/`} class="card log-filters">
        <input type="hidden" name="filtered" value="1" />
        <fieldset>
          <legend>Show</legend>
          {EVENT_KINDS.map((k) => (
            <label key={k} class="inline">
              <input type="checkbox" name="kind" value={k} checked={filter.kinds.has(k)} />{' '}
              {KIND_LABELS[k]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Dates (in {tz})</legend>
          <label class="inline">
            From <input type="date" name="from" value={filter.from} />
          </label>{' '}
          <label class="inline">
            To <input type="date" name="to" value={filter.to} />
          </label>
        </fieldset>
        <div class="row-actions">
          <button type="submit">Apply filters</button>
          <a href={`/checks/${check.code}/log/`}>Reset</a>
        </div>
      </form>
      <section class="card" aria-labelledby="events">
        <h2 id="events">
          {log.total} {log.total === 1 ? 'event' : 'events'}
        </h2>
        {log.rows.length === 0 && (
          <p class="muted" data-events-empty>
            No events match these filters.
          </p>
        )}
        <EventTable rows={log.rows} live={live} />
        {log.pages > 1 && (
          <nav class="pager" aria-label="Event pages">
            {log.page > 1 && <a href={pageLink(log.page - 1)}>Newer events</a>}
            <span>
              Page {log.page} of {log.pages}
            </span>
            {log.page < log.pages && <a href={pageLink(log.page + 1)}>Older events</a>}
          </nav>
        )}
        <p class="muted">
          Times in {tz}. Up to the {Math.min(project.ping_log_limit, 1000)} most recent pings are
          kept.
        </p>
      </section>
    </>
  )
}
