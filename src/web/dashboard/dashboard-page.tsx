/**
 * The checks dashboard of one project (Healthchecks' /projects/<p>/checks/): a table of checks
 * with name, tags, status (icon and word), last ping (relative, absolute on hover), schedule and
 * number of integrations; tag chips and a search box that filter on the server (plain links and a
 * GET form, so they work without JavaScript); sortable columns; a compact mode; live status
 * updates through status.json; and, for an empty project, how to send the first ping.
 */
import type { Project } from '../../db/index.js'
import { COPY_BUTTONS_SCRIPT, LIVE_STATUS_SCRIPT } from '../assets/client-scripts.js'
import { ProjectTabs } from '../projects/project-tabs.js'
import {
  type DashboardQuery,
  type DashboardRow,
  dashboardQueryString,
  type SortKey,
  type StatusCounts,
  scheduleSummary,
} from './dashboard-view.js'
import { HoldMark } from './hold-mark.js'
import { LastPing, StatusBadge } from './status-badge.js'

export const DASHBOARD_SCRIPTS = [LIVE_STATUS_SCRIPT.path, COPY_BUTTONS_SCRIPT.path]

export interface DashboardPageProps {
  project: Project
  rows: DashboardRow[]
  total: number
  tags: string[]
  counts: StatusCounts
  query: DashboardQuery
  pingEndpoint: string
  /** canSeeProjectKeys(role): read-only members never see the ping key (issue #11 F6). */
  showPingKey: boolean
  now: number
  /** The viewer's zone, for absolute times. */
  tz: string
}

function SortHeader(props: {
  base: string
  label: string
  query: DashboardQuery
  /** First click sorts by `asc`; a second click by `desc` (when given). */
  asc: SortKey
  desc?: SortKey
  class?: string
}) {
  const { base, label, query, asc, desc } = props
  const active = query.sort === asc || query.sort === desc
  const next = query.sort === asc && desc ? desc : asc
  const ariaSort = !active ? undefined : query.sort === desc ? 'descending' : 'ascending'
  return (
    <th scope="col" class={props.class} aria-sort={ariaSort}>
      <a href={base + dashboardQueryString(query, { sort: next })}>
        {label}
        {active && <span aria-hidden="true">{ariaSort === 'descending' ? ' ▼' : ' ▲'}</span>}
      </a>
    </th>
  )
}

function TagChip({ base, tag, query }: { base: string; tag: string; query: DashboardQuery }) {
  const on = query.tags.includes(tag)
  const tags = on ? query.tags.filter((t) => t !== tag) : [...query.tags, tag]
  return (
    <a
      class="tag"
      href={base + dashboardQueryString(query, { tags })}
      aria-current={on ? 'true' : undefined}
      title={on ? `Stop filtering by ${tag}` : `Show only checks tagged ${tag}`}
    >
      {tag}
    </a>
  )
}

function Filters({ base, query, tags }: { base: string; query: DashboardQuery; tags: string[] }) {
  const filtered = query.tags.length > 0 || query.search !== ''
  return (
    <>
      <form method="get" class="filters" aria-label="Filter checks">
        <div class="grow">
          <label for="search">Search by name, slug or UUID</label>
          <input type="search" id="search" name="search" value={query.search} maxLength={200} />
        </div>
        {query.tags.map((t) => (
          <input key={t} type="hidden" name="tag" value={t} />
        ))}
        {query.sort !== 'created' && <input type="hidden" name="sort" value={query.sort} />}
        {query.compact && <input type="hidden" name="compact" value="1" />}
        <button type="submit">Filter</button>
        {filtered && (
          <a
            class="button secondary"
            href={base + dashboardQueryString(query, { tags: [], search: '' })}
          >
            Clear filters
          </a>
        )}
        <a
          class="button secondary"
          href={base + dashboardQueryString(query, { compact: !query.compact })}
        >
          {query.compact ? 'Full view' : 'Compact view'}
        </a>
      </form>
      {tags.length > 0 && (
        <nav aria-label="Filter by tag">
          <ul class="tag-bar">
            {tags.map((t) => (
              <li key={t}>
                <TagChip base={base} tag={t} query={query} />
              </li>
            ))}
          </ul>
        </nav>
      )}
    </>
  )
}

function ChecksTable(props: DashboardPageProps) {
  const { rows, query, now, tz, project } = props
  const base = `/projects/${project.code}/checks/`
  return (
    <div class="table-wrap">
      <table
        class={query.compact ? 'checks compact' : 'checks'}
        data-live-url={`/projects/${project.code}/checks/status.json`}
      >
        <caption class="visually-hidden">Checks of {project.name}</caption>
        <thead>
          <tr>
            <SortHeader base={base} label="Name" query={query} asc="name" desc="-name" />
            <th scope="col" class="col-tags">
              Tags
            </th>
            <SortHeader base={base} label="Status" query={query} asc="status" />
            <SortHeader
              base={base}
              label="Last ping"
              query={query}
              asc="-last_ping"
              desc="last_ping"
            />
            <th scope="col" class="col-schedule">
              Schedule
            </th>
            <th scope="col" class="col-integrations">
              Integrations
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ check, status, started, integrations, heldBy, heldUnder }) => (
            <tr
              key={check.code}
              data-check={check.code}
              class={heldUnder ? 'held-child' : undefined}
            >
              <td class="name">
                <a class="check-name" href={`/checks/${check.code}/details/`}>
                  {check.name || check.code}
                </a>
                {heldBy !== undefined && (
                  <p class="held-note">Alert held: parent {heldBy} is down</p>
                )}
                {check.desc && <p class="desc">{check.desc.slice(0, 200)}</p>}
              </td>
              <td class="col-tags tags">
                {check.tags
                  .split(' ')
                  .filter((t) => t !== '')
                  .map((t) => (
                    <TagChip key={t} base={base} tag={t} query={query} />
                  ))}
              </td>
              <td>
                <StatusBadge status={status} />
                {started && <small>started</small>}
                <HoldMark check={check} project={project} now={now} tz={tz} />
              </td>
              <td>
                <LastPing lastPing={check.last_ping} now={now} tz={tz} />
              </td>
              <td class="col-schedule">{scheduleSummary(check)}</td>
              <td class="col-integrations">{integrations}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function EmptyProject({
  project,
  pingEndpoint,
  showPingKey,
}: {
  project: Project
  pingEndpoint: string
  showPingKey: boolean
}) {
  const create = `curl -fsS -m 10 --retry 5 -o /dev/null ${pingEndpoint}${project.ping_key}/nightly-backup?create=1`
  return (
    <div class="card empty">
      <h2>No checks yet</h2>
      <p>
        This project has no checks yet. <a href={`/projects/${project.code}/checks/add`}>Add one</a>{' '}
        and make your job request its ping URL when it succeeds.
      </p>
      {showPingKey && project.ping_key && (
        <>
          <p>
            Or let the first ping create the check, named after the last part of its URL. Run this,
            or put it at the end of your job's crontab line:
          </p>
          <pre>
            <code id="create-example">{create}</code>
          </pre>
          <button type="button" class="secondary" data-copy="create-example" hidden>
            Copy
          </button>
        </>
      )}
    </div>
  )
}

export function DashboardPage(props: DashboardPageProps) {
  const { project, rows, total, tags, counts, query, pingEndpoint } = props
  return (
    <>
      <div class="page-head">
        <div>
          <p class="breadcrumb">
            <a href="/projects/">Projects</a> /
          </p>
          <h1>{project.name}</h1>
        </div>
        <a class="button" href={`/projects/${project.code}/checks/add`}>
          Add check
        </a>
      </div>
      <ProjectTabs project={project} current="checks" />
      {total === 0 ? (
        <EmptyProject
          project={project}
          pingEndpoint={pingEndpoint}
          showPingKey={props.showPingKey}
        />
      ) : (
        <>
          <ul class="counts" aria-label="Checks by status">
            <li>
              <span class="status status-up">✓ up</span> <span data-count="up">{counts.up}</span>
            </li>
            <li>
              <span class="status status-grace">! late</span>{' '}
              <span data-count="late">{counts.late}</span>
            </li>
            <li>
              <span class="status status-down">✗ down</span>{' '}
              <span data-count="down">{counts.down}</span>
            </li>
          </ul>
          <Filters base={`/projects/${project.code}/checks/`} query={query} tags={tags} />
          {rows.length === 0 ? (
            <p class="notice" role="status">
              No checks match these filters.
            </p>
          ) : (
            <>
              <p class="muted">
                Showing {rows.length} of {total} checks.
              </p>
              <ChecksTable {...props} />
            </>
          )}
        </>
      )}
    </>
  )
}
