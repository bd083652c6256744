/**
 * Routes of the integrations pages: GET /projects/<p>/integrations/, GET/POST
 * …/integrations/add_email/ and …/add_webhook/, GET/POST /integrations/<ch>/checks/, POST
 * /integrations/<ch>/test/ and /integrations/<ch>/remove/. They save through the channel use
 * cases the provisioning API uses (createChannel with every check of the project, as Healthchecks'
 * UI assigns new channels; updateChannel; deleteChannel) and queue tests with
 * sendTestNotification, which the worker delivers; the page then shows the outcome. The other
 * kinds' add and edit forms are in channel-form-routes.tsx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sendTestNotification } from '../../alerts/index.js'
import {
  channelCheckChoices,
  createChannel,
  deleteChannel,
  listChannelSummaries,
  updateChannel,
} from '../../channels/index.js'
import { countProjectChecks } from '../../checks/index.js'
import { canSendMail } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import type { Project } from '../../db/index.js'
import { integrationFor, supportedKinds } from '../../integrations/index.js'
import {
  accessOf,
  CHANNEL,
  CHANNEL_FORM,
  channelAccessOf,
  PROJECT,
  PROJECT_FORM,
} from '../access-guard.js'
import { sendMonitoringPage } from '../monitoring-page.js'
import { formField } from '../render.js'
import { sendWebError, type WebMessages } from '../web-errors.js'
import { postedNotifyLate } from './channel-form.js'
import {
  AddEmailPage,
  AddWebhookPage,
  ChannelChecksPage,
  IntegrationsPage,
  RemoveChannelPage,
  type WebhookValues,
} from './integrations-page.js'

type ProjectParams = { Params: { project: string } }
type ChannelParams = { Params: { code: string } }

const NOTICES: Record<string, string> = {
  added: 'The integration was added and serves every check of the project.',
  removed: 'The integration was removed.',
  checks: 'The checks of the integration were saved.',
  saved: 'The integration was saved.',
  test: 'A test notification is queued: the worker sends it within seconds. Reload to see the result.',
  // MAIL-5: said at once, not learnt later from the worker.
  'test-no-mail': "Could not send a test notification: Email isn't configured on this server.",
}

/** "config.value must be an email address" → "Value must be an email address." */
function problemText(field: string, problem: string): string {
  const name = field.replace(/^config\./, '').replace(/_/g, ' ')
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${problem}.`
}

function webhookValues(body: unknown): WebhookValues {
  const f = (name: string) => formField(body, name)
  return {
    name: f('name'),
    method_down: f('method_down') || 'POST',
    url_down: f('url_down'),
    body_down: f('body_down'),
    headers_down: f('headers_down'),
    method_up: f('method_up') || 'POST',
    url_up: f('url_up'),
    body_up: f('body_up'),
    headers_up: f('headers_up'),
  }
}

const CHANNEL_CHECKS_MESSAGES: WebMessages = {
  'invalid-field': 'One of the chosen checks is not in this project.',
}

/** The "add an integration" choices: every supported kind, and why it is off if it is. */
function kindChoices(ctx: Ctx) {
  return supportedKinds().flatMap((kind) => {
    const i = integrationFor(kind)
    return i ? [{ kind, label: i.label, unavailable: i.unavailableReason(ctx.config) }] : []
  })
}

/** The add-email form as posted. */
function emailValues(body: unknown) {
  return {
    name: formField(body, 'name'),
    address: formField(body, 'address').trim(),
    down: formField(body, 'down') === '1',
    up: formField(body, 'up') === '1',
    ...postedNotifyLate(body),
  }
}

type EmailValues = ReturnType<typeof emailValues>

/** The add-email form as the channel spec body (every check of the project). */
function emailChannelBody(v: EmailValues) {
  const config = { value: v.address, down: v.down, up: v.up }
  return { kind: 'email', name: v.name, config, checks: '*', notify_late: v.notify_late } as const
}

/** The email form, empty or as posted with what was wrong. */
function sendEmailForm(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  form: { project: Project; values: EmailValues; error?: string },
) {
  const page = { title: 'Add an email integration', status: form.error ? 400 : 200 }
  return sendMonitoringPage(ctx, req, reply, page, (csrf) => <AddEmailPage csrf={csrf} {...form} />)
}

/** The webhook form, empty or as posted with what was wrong. */
function sendWebhookForm(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  form: { project: Project; values: WebhookValues; notifyLate: boolean; error?: string },
) {
  const page = { title: 'Add a webhook integration', status: form.error ? 400 : 200 }
  return sendMonitoringPage(ctx, req, reply, page, (csrf) => (
    <AddWebhookPage csrf={csrf} {...form} />
  ))
}

export function registerIntegrationsRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<ProjectParams>('/projects/:project/integrations/', PROJECT, async (req, reply) => {
    const { project, user } = accessOf(req)
    const channels = await listChannelSummaries(ctx, project)
    const checkCount = await countProjectChecks(ctx, project.id)
    const notice = NOTICES[String((req.query as Record<string, unknown>)?.done ?? '')]
    const shown = { project, channels, checkCount, tz: user.tz, notice, kinds: kindChoices(ctx) }
    const title = `Integrations – ${project.name}`
    return sendMonitoringPage(ctx, req, reply, { title }, (csrf) => (
      <IntegrationsPage {...shown} csrf={csrf} />
    ))
  })

  app.get(
    '/projects/:project/integrations/add_email/',
    PROJECT_FORM,
    async (req: FastifyRequest<ProjectParams>, reply) => {
      const { project } = accessOf(req)
      const values = { name: '', address: '', down: true, up: true, notify_late: false }
      return sendEmailForm(ctx, req, reply, { project, values })
    },
  )

  app.post(
    '/projects/:project/integrations/add_email/',
    PROJECT,
    async (req: FastifyRequest<ProjectParams>, reply) => {
      const { project } = accessOf(req)
      const values = emailValues(req.body)
      const r = await createChannel(ctx, { project, body: emailChannelBody(values) })
      if (r.ok) return reply.redirect(`/projects/${project.code}/integrations/?done=added`, 303)
      const { field, problem } = r.error
      const error =
        field === 'config.value' ? 'Enter a valid email address.' : problemText(field, problem)
      return sendEmailForm(ctx, req, reply, { project, values, error })
    },
  )

  app.get(
    '/projects/:project/integrations/add_webhook/',
    PROJECT_FORM,
    async (req: FastifyRequest<ProjectParams>, reply) => {
      const { project } = accessOf(req)
      const form = { project, values: webhookValues({}), notifyLate: false }
      return sendWebhookForm(ctx, req, reply, form)
    },
  )

  app.post(
    '/projects/:project/integrations/add_webhook/',
    PROJECT,
    async (req: FastifyRequest<ProjectParams>, reply) => {
      const { project } = accessOf(req)
      const values = webhookValues(req.body)
      const { notify_late } = postedNotifyLate(req.body)
      const { name, ...config } = values
      const r = await createChannel(ctx, {
        project,
        body: { kind: 'webhook', name, config, checks: '*', notify_late },
      })
      if (!r.ok) {
        const error = problemText(r.error.field, r.error.problem)
        return sendWebhookForm(ctx, req, reply, { project, values, notifyLate: notify_late, error })
      }
      return reply.redirect(`/projects/${project.code}/integrations/?done=added`, 303)
    },
  )

  app.get<ChannelParams>('/integrations/:code/checks/', CHANNEL_FORM, async (req, reply) => {
    const found = channelAccessOf(req)
    const { checks, selected } = await channelCheckChoices(ctx, found.project.id, found.channel.id)
    return sendMonitoringPage(ctx, req, reply, { title: 'Choose checks' }, (csrf) => (
      <ChannelChecksPage
        project={found.project}
        channel={found.channel}
        checks={checks}
        selected={selected}
        csrf={csrf}
      />
    ))
  })

  app.post<ChannelParams>('/integrations/:code/checks/', CHANNEL, async (req, reply) => {
    const found = channelAccessOf(req)
    const raw = (req.body as Record<string, unknown> | undefined)?.check
    const codes = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
      (c): c is string => typeof c === 'string',
    )
    const r = await updateChannel(ctx, {
      project: found.project,
      code: found.channel.code,
      body: { checks: codes },
    })
    if (!r.ok) return sendWebError(ctx, reply, r.error, CHANNEL_CHECKS_MESSAGES)
    return reply.redirect(`/projects/${found.project.code}/integrations/?done=checks`, 303)
  })

  app.post<ChannelParams>('/integrations/:code/test/', CHANNEL, async (req, reply) => {
    const found = channelAccessOf(req)
    if (found.channel.kind === 'email' && !canSendMail(ctx.config))
      return reply.redirect(`/projects/${found.project.code}/integrations/?done=test-no-mail`, 303)
    const r = await sendTestNotification(ctx, found.channel.id)
    if (!r.ok) return sendWebError(ctx, reply, r.error)
    return reply.redirect(`/projects/${found.project.code}/integrations/?done=test`, 303)
  })

  app.get<ChannelParams>('/integrations/:code/remove/', CHANNEL_FORM, async (req, reply) => {
    const found = channelAccessOf(req)
    return sendMonitoringPage(ctx, req, reply, { title: 'Remove integration' }, (csrf) => (
      <RemoveChannelPage project={found.project} channel={found.channel} csrf={csrf} />
    ))
  })

  app.post<ChannelParams>('/integrations/:code/remove/', CHANNEL, async (req, reply) => {
    const found = channelAccessOf(req)
    await deleteChannel(ctx, { projectId: found.project.id, code: found.channel.code })
    return reply.redirect(`/projects/${found.project.code}/integrations/?done=removed`, 303)
  })
}
