/**
 * Routes of the check form and the actions on a check: GET/POST /projects/<p>/checks/add,
 * GET/POST /checks/<c>/edit, POST /checks/<c>/pause/ and /resume/, GET/POST /checks/<c>/remove/
 * (a confirmation page, then the delete), and GET /checks/schedule-preview.json for the live
 * preview. Saving goes through the management API's use cases (upsertCheck with every project
 * channel, as Healthchecks' UI does; updateCheck), then markOverdueDown after a schedule change.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  deleteCheck,
  markOverdueDown,
  pauseCheck,
  resumeCheck,
  updateCheck,
  upsertCheck,
} from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { Check, Project } from '../../db/index.js'
import {
  accessOf,
  CHECK,
  CHECK_FORM,
  checkAccessOf,
  LOGGED_IN_JSON,
  PROJECT,
  PROJECT_FORM,
  userOf,
} from '../access-guard.js'
import { sendMonitoringPage, sendNotFound } from '../monitoring-page.js'
import { formField } from '../render.js'
import { type KindedError, sendWebError, webError } from '../web-errors.js'
import {
  type CheckFormValues,
  checkFormBody,
  defaultFormValues,
  type FormErrors,
  formValuesFromCheck,
  readCheckForm,
  schedulePreview,
} from './check-form.js'
import { CHECK_FORM_SCRIPTS, CheckFormPage, DeleteCheckPage } from './check-form-page.js'
import {
  currentDependsOn,
  dependencyFormError,
  loadDependencyChoices,
} from './dependency-picker.js'
import { maintenancePreview } from './maintenance-field.js'

type ProjectParams = { Params: { project: string } }
type CheckParams = { Params: { code: string } }

async function showForm(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  form: {
    project: Project
    check?: Check
    values: CheckFormValues
    errors?: FormErrors
    status?: number
    withPreview?: boolean
  },
): Promise<FastifyReply> {
  const tz = userOf(req).user.tz
  const choices = await loadDependencyChoices(ctx, form.project.id, form.check?.id ?? null)
  const preview =
    form.withPreview === false ? null : schedulePreview(form.values, tz, ctx.clock.now())
  const title = form.check ? `Edit ${form.check.name || form.check.code}` : 'Add a check'
  return sendMonitoringPage(
    ctx,
    req,
    reply,
    { title, status: form.status, scripts: CHECK_FORM_SCRIPTS },
    (csrf) => (
      <CheckFormPage
        project={form.project}
        check={form.check}
        values={form.values}
        errors={form.errors ?? {}}
        preview={preview}
        maintenance={maintenancePreview(form.values.maintenance, ctx.clock.now())}
        csrf={csrf}
        dependencyChoices={choices}
      />
    ),
  )
}

const SCHEDULE_COLUMNS = ['kind', 'timeout', 'grace', 'schedule', 'tz'] as const

/** A refused save: the form again with the sentence, or a plain page when the form cannot fix it. */
function showSaveError(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  form: { project: Project; check?: Check; values: CheckFormValues },
  e: KindedError,
): Promise<FastifyReply> | FastifyReply {
  const { status, message, fixable } = webError(reply, e)
  if (!fixable) return sendWebError(ctx, reply, e)
  const dependencyError = dependencyFormError(e)
  const errors = dependencyError ? { depends_on: dependencyError } : { name: message }
  return showForm(ctx, req, reply, { ...form, errors, status })
}

export function registerCheckFormRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<ProjectParams>('/projects/:project/checks/add', PROJECT_FORM, async (req, reply) => {
    const grant = accessOf(req)
    return showForm(ctx, req, reply, {
      project: grant.project,
      values: defaultFormValues(grant.user.tz),
    })
  })

  app.post<ProjectParams>('/projects/:project/checks/add', PROJECT, async (req, reply) => {
    const { project } = accessOf(req)
    const form = { project, values: readCheckForm(req.body) }
    if (formField(req.body, 'action') === 'preview') return showForm(ctx, req, reply, form)
    const parsed = checkFormBody(form.values, { creating: true })
    if (!parsed.ok)
      return showForm(ctx, req, reply, { ...form, errors: parsed.errors, status: 400 })
    const body = { ...parsed.body, channels: '*' }
    const r = await upsertCheck(ctx, { project, body, flapping: parsed.flapping, version: 3 })
    if (!r.ok) return showSaveError(ctx, req, reply, form, r.error)
    return reply.redirect(`/checks/${r.value.check.code}/details/`, 303)
  })

  app.get('/checks/:code/edit', CHECK_FORM, async (req: FastifyRequest<CheckParams>, reply) => {
    const found = checkAccessOf(req)
    const dependsOn = await currentDependsOn(ctx, found.check.id)
    return showForm(ctx, req, reply, {
      check: found.check,
      project: found.project,
      values: { ...formValuesFromCheck(found.check), depends_on: dependsOn },
    })
  })

  app.post('/checks/:code/edit', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const { check, project } = checkAccessOf(req)
    const form = { check, project, values: readCheckForm(req.body) }
    if (formField(req.body, 'action') === 'preview') return showForm(ctx, req, reply, form)
    const parsed = checkFormBody(form.values, { creating: false })
    if (!parsed.ok)
      return showForm(ctx, req, reply, { ...form, errors: parsed.errors, status: 400 })
    const { body, flapping } = parsed
    const where = { projectId: project.id, code: check.code }
    const r = await updateCheck(ctx, { ...where, body, flapping, version: 3 })
    if (!r.ok) return showSaveError(ctx, req, reply, form, r.error)
    // A new schedule already past its deadline: down at once and silently (Healthchecks' way).
    const after = r.value.check
    if (SCHEDULE_COLUMNS.some((c) => check[c] !== after[c])) await markOverdueDown(ctx, after.id)
    return reply.redirect(`/checks/${after.code}/details/`, 303)
  })

  app.get('/checks/schedule-preview.json', LOGGED_IN_JSON, async (req, _reply) => {
    const q = (req.query ?? {}) as Record<string, unknown>
    const values = readCheckForm(q)
    return schedulePreview(values, userOf(req).user.tz, ctx.clock.now())
  })

  app.post('/checks/:code/pause/', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const found = checkAccessOf(req)
    const r = await pauseCheck(ctx, { projectId: found.project.id, code: found.check.code })
    if (!r.ok) return sendNotFound(ctx, reply)
    return reply.redirect(`/checks/${found.check.code}/details/`, 303)
  })

  app.post('/checks/:code/resume/', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const found = checkAccessOf(req)
    const r = await resumeCheck(ctx, { projectId: found.project.id, code: found.check.code })
    if (!r.ok) return sendWebError(ctx, reply, r.error)
    return reply.redirect(`/checks/${found.check.code}/details/`, 303)
  })

  app.get('/checks/:code/remove/', CHECK_FORM, async (req: FastifyRequest<CheckParams>, reply) => {
    const { check, project } = checkAccessOf(req)
    return sendMonitoringPage(ctx, req, reply, { title: 'Delete check' }, (csrf) => (
      <DeleteCheckPage check={check} project={project} csrf={csrf} />
    ))
  })

  app.post('/checks/:code/remove/', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const found = checkAccessOf(req)
    const r = await deleteCheck(ctx, { projectId: found.project.id, code: found.check.code })
    if (!r.ok) return sendNotFound(ctx, reply)
    return reply.redirect(`/projects/${found.project.code}/checks/`, 303)
  })
}
