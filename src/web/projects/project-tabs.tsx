/**
 * The tabs under a project's name: checks, integrations, badges, status pages and settings.
 */
import type { Project } from '../../db/index.js'

export type ProjectTab = 'checks' | 'integrations' | 'badges' | 'status-pages' | 'settings'

const TABS: [ProjectTab, string, string][] = [
  ['checks', 'Checks', 'checks/'],
  ['integrations', 'Integrations', 'integrations/'],
  ['badges', 'Badges', 'badges/'],
  ['status-pages', 'Status pages', 'status-pages/'],
  ['settings', 'Settings', 'settings/'],
]

export function ProjectTabs({ project, current }: { project: Project; current: ProjectTab }) {
  return (
    <nav aria-label="Project">
      <ul class="tabs">
        {TABS.map(([tab, label, path]) => (
          <li key={tab}>
            <a
              href={`/projects/${project.code}/${path}`}
              aria-current={tab === current ? 'page' : undefined}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
