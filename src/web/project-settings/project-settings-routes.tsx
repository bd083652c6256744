/**
 * The project settings page (Healthchecks' /projects/<p>/settings/): rename the project, make
 * new API keys (read-write and read-only, shown once on the answer page and never again), and
 * a new ping key for slug URLs. GET /projects/<p>/settings/ and POSTs to …/settings/name,
 * …/settings/api-keys and …/settings/ping-key.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Ctx } from '../../context.js'
import type { Project } from '../../db/index.js'
import {
  type NewApiKeys,
  regenerateApiKeys,
  regeneratePingKey,
} from '../../projects/regenerate-project-keys.js'
import { renameProject } from '../../projects/rename-project.js'
import { CSRF_FIELD } from '../csrf.js'
import { requireLogin, sendMonitoringPage, sendNotFound, sendReadOnly } from '../monitoring-page.js'
import { canWrite, findUserProject } from '../project-access.js'
import { ProjectTabs } from '../projects/project-tabs.js'
import { formField } from '../render.js'

type ProjectParams = { Params: { project: string } }

interface SettingsProps {
  project: Project
  csrf: string
  pingEndpoint: string
  notice?: string
  error?: string
  newKeys?: NewApiKeys
  name?: string
}

function SettingsPage({
  project,
  csrf,
  pingEndpoint,
  notice,
  error,
  newKeys,
  name,
}: SettingsProps) {
  const base = `/projects/${project.code}/settings/`
  return (
    <>
      <p class="breadcrumb">
        <a href="/projects/">Projects</a> /
      </p>
      <h1>{project.name}</h1>
      <ProjectTabs project={project} current="settings" />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>
        <a href={`${base}team`}>Team members, roles and invitations</a>
      </p>
      <section class="card" aria-labelledby="project-name">
        <h2 id="project-name">Project name</h2>
        <form method="post" action={`${base}name`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <label for="name">Name</label>
          <input
            type="text"
            id="name"
            name="name"
            value={name ?? project.name}
            maxLength={200}
            required
          />
          <div class="actions">
            <button type="submit">Save name</button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="api-keys">
        <h2 id="api-keys">API keys</h2>
        {newKeys ? (
          <div role="status">
            <p>
              <strong>Copy the new keys now: they are shown only once.</strong> The old keys no
              longer work.
            </p>
            <dl class="facts">
              <dt>Read-write key</dt>
              <dd>
                <code class="secret">{newKeys.apiKey}</code>
              </dd>
              <dt>Read-only key</dt>
              <dd>
                <code class="secret">{newKeys.apiKeyReadonly}</code>
              </dd>
            </dl>
          </div>
        ) : (
          <p>
            Read-write key: {project.api_key_hash ? 'set' : 'not set'}. Read-only key:{' '}
            {project.api_key_readonly_hash ? 'set' : 'not set'}. Vigil keeps only their digests, so
            it cannot show them again.
          </p>
        )}
        <form method="post" action={`${base}api-keys`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <p class="hint">
            New keys replace both current keys at once: update every script that uses them.
          </p>
          <button type="submit" class="secondary">
            Make new API keys
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="ping-key">
        <h2 id="ping-key">Ping key</h2>
        {project.ping_key ? (
          <p>
            Slug URLs look like <code>{`${pingEndpoint}${project.ping_key}/<slug>`}</code>
          </p>
        ) : (
          <p>This project has no ping key: its checks can be pinged by UUID only.</p>
        )}
        <form method="post" action={`${base}ping-key`}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <p class="hint">A new ping key breaks every slug URL in use; UUID URLs keep working.</p>
          <button type="submit" class="secondary">
            {project.ping_key ? 'Make a new ping key' : 'Create a ping key'}
          </button>
        </form>
      </section>
    </>
  )
}

export function registerProjectSettingsRoutes(app: FastifyInstance, ctx: Ctx): void {
  async function load(
    req: FastifyRequest<ProjectParams>,
    reply: FastifyReply,
    write = false,
  ): Promise<Project | null> {
    const auth = requireLogin(req, reply)
    if (!auth) return null
    const grant = await findUserProject(ctx, auth.user, req.params.project)
    if (!grant) {
      sendNotFound(ctx, reply)
      return null
    }
    if (write && !canWrite(grant.role)) {
      sendReadOnly(ctx, reply)
      return null
    }
    return grant.project
  }
  function show(
    req: FastifyRequest,
    reply: FastifyReply,
    props: Omit<SettingsProps, 'csrf' | 'pingEndpoint'>,
    status = 200,
  ) {
    return sendMonitoringPage(
      ctx,
      req,
      reply,
      { title: `Settings – ${props.project.name}`, status },
      (csrf) => <SettingsPage {...props} csrf={csrf} pingEndpoint={ctx.config.pingEndpoint} />,
    )
  }

  app.get('/projects/:project/settings/', async (req: FastifyRequest<ProjectParams>, reply) => {
    const project = await load(req, reply)
    if (!project) return reply
    return show(req, reply, { project })
  })

  app.post(
    '/projects/:project/settings/name',
    async (req: FastifyRequest<ProjectParams>, reply) => {
      const project = await load(req, reply, true)
      if (!project) return reply
      const name = formField(req.body, 'name')
      const r = await renameProject(ctx, { projectId: project.id, name })
      if (!r.ok)
        return show(
          req,
          reply,
          { project, name, error: 'Enter a name of 1 to 200 characters.' },
          400,
        )
      return show(req, reply, { project: r.value, notice: 'The project name was saved.' })
    },
  )

  app.post(
    '/projects/:project/settings/api-keys',
    async (req: FastifyRequest<ProjectParams>, reply) => {
      const project = await load(req, reply, true)
      if (!project) return reply
      const newKeys = await regenerateApiKeys(ctx, project.id)
      return show(req, reply, { project, newKeys })
    },
  )

  app.post(
    '/projects/:project/settings/ping-key',
    async (req: FastifyRequest<ProjectParams>, reply) => {
      const project = await load(req, reply, true)
      if (!project) return reply
      const saved = await regeneratePingKey(ctx, project.id)
      return show(req, reply, { project: saved, notice: 'The project has a new ping key.' })
    },
  )
}
