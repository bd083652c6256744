/**
 * Routes of the generic channel forms: GET/POST /projects/<p>/integrations/add/<kind>/ and
 * GET/POST /integrations/<ch>/edit/. The form comes from the kind's `formFields`, validation from
 * its parseConfig through createChannel/updateChannel (the provisioning API's use cases). A new
 * channel serves every check of the project, as channels added in Healthchecks' UI do.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { createChannel, updateChannel } from '../../channels/index.js'
import type { InvalidField } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import { type Integration, integrationFor } from '../../integrations/index.js'
import {
  accessOf,
  CHANNEL,
  CHANNEL_FORM,
  channelAccessOf,
  PROJECT,
  PROJECT_FORM,
} from '../access-guard.js'
import { sendMonitoringPage, sendNotFound } from '../monitoring-page.js'
import { formField } from '../render.js'
import { sendWebError } from '../web-errors.js'
import {
  blankFormValues,
  postedChannelBody,
  postedFormValues,
  postedNotifyLate,
  problemField,
  storedFormValues,
} from './channel-form.js'
import { ChannelFormPage, type FormProblem } from './channel-form-page.js'

type AddParams = { Params: { project: string; kind: string } }
type ChannelParams = { Params: { code: string } }

/** Email and webhook keep their own forms. */
const OWN_FORMS: Record<string, string> = { email: 'add_email/', webhook: 'add_webhook/' }

/** Form-level fields as the form labels them. */
const FIELD_NAMES: Record<string, string> = { name: 'Name', notify_late: 'Notify on late' }

/** The field's error beside it ("Slack webhook URL must be a valid URL."), else on the form. */
function formProblem(integration: Integration, error: InvalidField): FormProblem {
  const field = problemField(integration.formFields ?? [], error.field)
  if (field) return { field: field.name, message: `${field.label} ${error.problem}.` }
  const name = FIELD_NAMES[error.field] ?? error.field
  return { message: `${name.charAt(0).toUpperCase()}${name.slice(1)} ${error.problem}.` }
}

type ChannelFormShown = Omit<Parameters<typeof ChannelFormPage>[0], 'csrf' | 'unavailable'>

/** The add or edit form of a channel kind (or why this server cannot send it). */
function sendChannelForm(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  shown: ChannelFormShown,
): FastifyReply {
  const { integration } = shown
  const title = shown.channel
    ? `Edit the ${integration.label} integration`
    : `Add a ${integration.label} integration`
  const unavailable = integration.unavailableReason(ctx.config)
  return sendMonitoringPage(ctx, req, reply, { title, status }, (csrf) => (
    <ChannelFormPage {...shown} csrf={csrf} unavailable={unavailable} />
  ))
}

/** The form again as posted (secrets blank), with what was wrong: 400. */
function sendFormProblem(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  target: Pick<ChannelFormShown, 'project' | 'integration' | 'channel'>,
  error: InvalidField,
): FastifyReply {
  const { integration } = target
  return sendChannelForm(ctx, req, reply, 400, {
    ...target,
    name: formField(req.body, 'channel_name'),
    values: postedFormValues(integration.formFields ?? [], req.body),
    notifyLate: postedNotifyLate(req.body).notify_late,
    problem: formProblem(integration, error),
  })
}

export function registerChannelFormRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get(
    '/projects/:project/integrations/add/:kind/',
    PROJECT_FORM,
    async (req: FastifyRequest<AddParams>, reply) => {
      const { project } = accessOf(req)
      const integration = integrationFor(req.params.kind)
      if (!integration) return sendNotFound(ctx, reply)
      const own = OWN_FORMS[integration.kind]
      if (own) return reply.redirect(`/projects/${project.code}/integrations/${own}`, 302)
      const values = blankFormValues(integration.formFields ?? [])
      return sendChannelForm(ctx, req, reply, 200, { project, integration, name: '', values })
    },
  )

  app.post<AddParams>('/projects/:project/integrations/add/:kind/', PROJECT, async (req, reply) => {
    const { project } = accessOf(req)
    const integration = integrationFor(req.params.kind)
    if (!integration || OWN_FORMS[integration.kind]) return sendNotFound(ctx, reply)
    const body = {
      kind: integration.kind,
      checks: '*' as const,
      ...postedChannelBody(integration, req.body),
    }
    const r = await createChannel(ctx, { project, body })
    if (r.ok) return reply.redirect(`/projects/${project.code}/integrations/?done=added`, 303)
    return sendFormProblem(ctx, req, reply, { project, integration }, r.error)
  })

  /** The guard's channel with its integration, or null after answering 404 (an unknown kind). */
  function editableChannel(req: FastifyRequest<ChannelParams>, reply: FastifyReply) {
    const found = channelAccessOf(req)
    const integration = integrationFor(found.channel.kind)
    if (!integration) {
      sendNotFound(ctx, reply)
      return null
    }
    return { ...found, integration }
  }

  app.get<ChannelParams>('/integrations/:code/edit/', CHANNEL_FORM, async (req, reply) => {
    const found = editableChannel(req, reply)
    if (!found) return reply
    const { channel, integration, project } = found
    const values = storedFormValues(integration, channel.value)
    const shown = { project, integration, channel, name: channel.name, values }
    return sendChannelForm(ctx, req, reply, 200, shown)
  })

  app.post<ChannelParams>('/integrations/:code/edit/', CHANNEL, async (req, reply) => {
    const found = editableChannel(req, reply)
    if (!found) return reply
    const { channel, integration, project } = found
    const body = postedChannelBody(integration, req.body, channel.value)
    const r = await updateChannel(ctx, { project, code: channel.code, body })
    if (r.ok) return reply.redirect(`/projects/${project.code}/integrations/?done=saved`, 303)
    // Only a field the form shows can be fixed in it (and narrows the type for formProblem).
    if (r.error.kind !== 'invalid-field') return sendWebError(ctx, reply, r.error)
    return sendFormProblem(ctx, req, reply, { project, integration, channel }, r.error)
  })
}
