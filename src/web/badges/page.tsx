/**
 * The badges page (Healthchecks' /projects/<p>/badges/) as a pure view: a badge for all checks
 * and one per tag, each previewed as SVG with its URLs in SVG, JSON and Shields.io form, and the
 * two- or three-state switch.
 */
import type { Project } from '../../db/index.js'
import { ProjectTabs } from '../projects/project-tabs.js'

export type BadgeFormat = 'svg' | 'json' | 'shields'

export interface BadgesView {
  project: Project
  /** Three states (up/late/down) rather than two. */
  withLate: boolean
  /** `*` (all checks) first, then each tag, with its signed URLs. */
  badges: { tag: string; urls: Record<BadgeFormat, string> }[]
}

export function BadgesPage({ project, withLate, badges }: BadgesView) {
  return (
    <>
      <p class="breadcrumb">
        <a href="/projects/">Projects</a> /
      </p>
      <h1>{project.name}</h1>
      <ProjectTabs project={project} current="badges" />
      <p>
        Status badges for README files and dashboards. Anyone with a badge URL sees the status it
        shows, nothing else.
      </p>
      <p class="row-actions">
        <span>States:</span>
        <a href="?states=2" aria-current={withLate ? undefined : 'page'}>
          up / down
        </a>
        <a href="?states=3" aria-current={withLate ? 'page' : undefined}>
          up / late / down
        </a>
      </p>
      {badges.map(({ tag, urls }, i) => (
        <section class="card" key={tag} aria-labelledby={`badge-${i}`}>
          <h2 id={`badge-${i}`}>{tag === '*' ? 'All checks' : `Tag: ${tag}`}</h2>
          <p>
            <img src={urls.svg} alt={`Status badge for ${tag === '*' ? 'all checks' : tag}`} />
          </p>
          {(['svg', 'json', 'shields'] as BadgeFormat[]).map((fmt) => (
            <div class="ping-url" key={fmt}>
              <span>{fmt === 'shields' ? 'Shields.io' : fmt.toUpperCase()}</span>
              <code id={`badge-${i}-${fmt}`}>{urls[fmt]}</code>
              <button type="button" class="secondary" data-copy={`badge-${i}-${fmt}`} hidden>
                Copy
              </button>
            </div>
          ))}
          <p class="hint">
            Markdown: <code>{`![${tag === '*' ? project.name : tag}](${urls.svg})`}</code>
          </p>
        </section>
      ))}
    </>
  )
}
