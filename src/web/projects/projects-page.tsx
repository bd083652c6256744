/**
 * The projects overview (`/projects/`): one card per project with its overall status (down, then
 * late, then up), counts of up, late and down checks, and its number of checks and integrations;
 * a project locked by its 2FA policy shows only its name and the reason.
 */
import { ACCESS_TEXT } from '../access-guard.js'
import { StatusBadge } from '../dashboard/status-badge.js'
import type { ProjectSummary } from './load-projects-overview.js'

function overall(s: ProjectSummary) {
  if (s.counts.down > 0) return 'down'
  if (s.counts.late > 0) return 'grace'
  if (s.checks === 0) return 'new'
  return 'up'
}

export function ProjectsPage({
  projects,
  isSuperuser,
}: {
  projects: ProjectSummary[]
  isSuperuser: boolean
}) {
  return (
    <>
      <h1>Projects</h1>
      {projects.length === 0 && <p class="muted">You have no projects yet.</p>}
      <ul class="project-cards" aria-label="Projects">
        {projects.map((s) =>
          s.locked ? (
            <li class="card" key={s.project.code} data-locked>
              <h2>{s.project.name}</h2>
              <p class="muted">{ACCESS_TEXT.locked}</p>
              <p>
                <a href="/account/security">Set up 2FA</a>, then log in again to open it.
              </p>
            </li>
          ) : (
            <li class="card" key={s.project.code}>
              <h2>
                <a href={`/projects/${s.project.code}/checks/`}>{s.project.name}</a>
              </h2>
              <p>
                <StatusBadge status={overall(s)} />
                {s.started && <small> · a job is running</small>}
              </p>
              <ul class="counts" aria-label={`Checks of ${s.project.name} by status`}>
                <li>{s.counts.up} up</li>
                <li>{s.counts.late} late</li>
                <li>{s.counts.down} down</li>
              </ul>
              <p class="muted">
                {s.checks} {s.checks === 1 ? 'check' : 'checks'}, {s.integrations}{' '}
                {s.integrations === 1 ? 'integration' : 'integrations'}
              </p>
            </li>
          ),
        )}
      </ul>
      {isSuperuser && (
        <p>
          <a href="/admin/system">System status</a>: configuration findings, workers and the mail
          outbox.
        </p>
      )}
    </>
  )
}
