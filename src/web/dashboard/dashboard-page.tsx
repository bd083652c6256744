/**
 * The checks dashboard: each of the user's projects with a plain table of its checks (status as
 * icon and word, name, last ping in UTC and relative, ping URL), or, for a project without checks,
 * how to add the first one. A small subset of Healthchecks' /projects/<p>/checks/ page.
 */
import { type DisplayStatus, statusAt } from '../../checks/status.js'
import type { Check, Project } from '../../db/index.js'
import { Layout } from '../layout.js'
import type { DashboardProject } from './load-dashboard.js'
import { isoUtc, timeAgo } from './time-ago.js'

export interface DashboardPageProps {
  siteName: string
  account: { email: string; csrf: string }
  projects: DashboardProject[]
  pingEndpoint: string
  now: number
}

/** A glyph per status, so the status never depends on colour alone. */
const STATUS_ICON: Record<DisplayStatus, string> = {
  new: '○',
  up: '✓',
  grace: '!',
  down: '✗',
  paused: '‖',
  started: '▸',
}

export function StatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <span class={`status status-${status}`}>
      <span class="status-icon" aria-hidden="true">
        {STATUS_ICON[status]}
      </span>{' '}
      {status}
    </span>
  )
}

function LastPing({ lastPing, now }: { lastPing: number | null; now: number }) {
  if (lastPing === null) return <span class="muted">never</span>
  const iso = isoUtc(lastPing)
  return (
    <>
      {timeAgo(lastPing, now)}
      <small>
        <time dateTime={iso}>{iso}</time>
      </small>
    </>
  )
}

function ChecksTable({
  checks,
  pingEndpoint,
  now,
}: {
  checks: Check[]
  pingEndpoint: string
  now: number
}) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Name</th>
          <th scope="col">Last ping</th>
          <th scope="col">Ping URL</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((check) => (
          <tr key={check.code}>
            <td>
              <StatusBadge status={statusAt(check, now)} />
              {statusAt(check, now, true) === 'started' && <small>started</small>}
            </td>
            <td>{check.name || <code>{check.code}</code>}</td>
            <td>
              <LastPing lastPing={check.last_ping} now={now} />
            </td>
            <td>
              <code>{pingEndpoint + check.code}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function EmptyProject({ project, pingEndpoint }: { project: Project; pingEndpoint: string }) {
  return (
    <div class="empty">
      <p>This project has no checks yet. Create the first one on the server:</p>
      <pre>
        <code>{`npx vigil check create --project ${project.code} --name "Nightly backup"`}</code>
      </pre>
      <p>
        It prints the new check with its ping URL. Make your job request that URL when it succeeds,
        for example at the end of its crontab line:
      </p>
      <pre>
        <code>{`curl -fsS -m 10 --retry 5 -o /dev/null ${pingEndpoint}<uuid of the check>`}</code>
      </pre>
      {project.ping_key && (
        <>
          <p>Or let the first ping create the check, named after the last part of its URL:</p>
          <pre>
            <code>{`curl -fsS -m 10 --retry 5 -o /dev/null ${pingEndpoint}${project.ping_key}/nightly-backup?create=1`}</code>
          </pre>
        </>
      )}
      <p class="muted">
        Creating checks from this page and through the management API comes later.
      </p>
    </div>
  )
}

export function DashboardPage({
  siteName,
  account,
  projects,
  pingEndpoint,
  now,
}: DashboardPageProps) {
  return (
    <Layout siteName={siteName} title="Checks" account={account}>
      <h1>Checks</h1>
      {projects.length === 0 && <p class="muted">You have no projects yet.</p>}
      {projects.map(({ project, checks }) => (
        <section class="card" key={project.code} aria-labelledby={`project-${project.code}`}>
          <h2 id={`project-${project.code}`}>{project.name}</h2>
          {checks.length === 0 ? (
            <EmptyProject project={project} pingEndpoint={pingEndpoint} />
          ) : (
            <ChecksTable checks={checks} pingEndpoint={pingEndpoint} now={now} />
          )}
        </section>
      ))}
    </Layout>
  )
}
