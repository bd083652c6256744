/**
 * The badges route (Healthchecks' /projects/<p>/badges/); `?states=2|3` picks two states
 * (up/down) or three (up/late/down). Read-only: the URLs are signed with the project's badge
 * key, so they work without logging in.
 */
import type { FastifyInstance } from 'fastify'
import { projectTags } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import { badgeUrl } from '../../projects/index.js'
import { accessOf, PROJECT } from '../access-guard.js'
import { COPY_BUTTONS_SCRIPT } from '../assets/client-scripts.js'
import { sendMonitoringPage } from '../monitoring-page.js'
import { BadgesPage } from './page.js'

type ProjectParams = { Params: { project: string } }

export function registerBadgesRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<ProjectParams>('/projects/:project/badges/', PROJECT, async (req, reply) => {
    const { project } = accessOf(req)
    const withLate = (req.query as Record<string, unknown>)?.states === '3'
    const tags = ['*', ...(await projectTags(ctx.db.kysely, project.id))]
    const url = (tag: string, fmt: 'svg' | 'json' | 'shields') =>
      badgeUrl(ctx.config, project.badge_key, tag, fmt, withLate)
    const badges = tags.map((tag) => ({
      tag,
      urls: { svg: url(tag, 'svg'), json: url(tag, 'json'), shields: url(tag, 'shields') },
    }))
    const options = { title: `Badges – ${project.name}`, scripts: [COPY_BUTTONS_SCRIPT.path] }
    return sendMonitoringPage(ctx, req, reply, options, () => (
      <BadgesPage project={project} withLate={withLate} badges={badges} />
    ))
  })
}
