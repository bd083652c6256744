/**
 * The badges page (Healthchecks' /projects/<p>/badges/): a badge for all checks and one per tag,
 * each previewed as SVG with its URLs in SVG, JSON and Shields.io form; `?states=2|3` picks two
 * states (up/down) or three (up/late/down). Read-only: the URLs are signed with the project's
 * badge key, so they work without logging in.
 */
import type { FastifyInstance } from 'fastify'
import { projectTags } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import { badgeUrl } from '../../projects/index.js'
import { accessOf, PROJECT } from '../access-guard.js'
import { COPY_BUTTONS_SCRIPT } from '../assets/client-scripts.js'
import { sendMonitoringPage } from '../monitoring-page.js'
import { ProjectTabs } from '../projects/project-tabs.js'

type ProjectParams = { Params: { project: string } }

export function registerBadgesRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<ProjectParams>('/projects/:project/badges/', PROJECT, async (req, reply) => {
    const { project } = accessOf(req)
    const withLate = (req.query as Record<string, unknown>)?.states === '3'
    const tags = ['*', ...(await projectTags(ctx.db.kysely, project.id))]
    const url = (tag: string, fmt: 'svg' | 'json' | 'shields') =>
      badgeUrl(ctx.config, project.badge_key, tag, fmt, withLate)
    return sendMonitoringPage(
      ctx,
      req,
      reply,
      { title: `Badges – ${project.name}`, scripts: [COPY_BUTTONS_SCRIPT.path] },
      () => (
        <>
          <p class="breadcrumb">
            <a href="/projects/">Projects</a> /
          </p>
          <h1>{project.name}</h1>
          <ProjectTabs project={project} current="badges" />
          <p>
            Status badges for README files and dashboards. Anyone with a badge URL sees the status
            it shows, nothing else.
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
          {tags.map((tag, i) => (
            <section class="card" key={tag} aria-labelledby={`badge-${i}`}>
              <h2 id={`badge-${i}`}>{tag === '*' ? 'All checks' : `Tag: ${tag}`}</h2>
              <p>
                <img
                  src={url(tag, 'svg')}
                  alt={`Status badge for ${tag === '*' ? 'all checks' : tag}`}
                />
              </p>
              {(['svg', 'json', 'shields'] as const).map((fmt) => (
                <div class="ping-url" key={fmt}>
                  <span>{fmt === 'shields' ? 'Shields.io' : fmt.toUpperCase()}</span>
                  <code id={`badge-${i}-${fmt}`}>{url(tag, fmt)}</code>
                  <button type="button" class="secondary" data-copy={`badge-${i}-${fmt}`} hidden>
                    Copy
                  </button>
                </div>
              ))}
              <p class="hint">
                Markdown:{' '}
                <code>{`![${tag === '*' ? project.name : tag}](${url(tag, 'svg')})`}</code>
              </p>
            </section>
          ))}
        </>
      ),
    )
  })
}
