/**
 * Routes of the channel "Repeat" form: GET/POST /integrations/<ch>/repeat/ (issue 14 §7). The
 * form becomes a provisioning-API update body (channel-repeat.ts), so the API's validation and
 * use case (updateChannel) apply unchanged.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { updateChannel } from '../../channels/index.js'
import type { Ctx } from '../../context.js'
import { CHANNEL, CHANNEL_FORM, channelAccessOf } from '../access-guard.js'
import { sendMonitoringPage } from '../monitoring-page.js'
import { sendWebError } from '../web-errors.js'
import {
  postedRepeatValues,
  type RepeatFormValues,
  repeatUpdateBody,
  storedRepeatValues,
} from './channel-repeat.js'
import { ChannelRepeatPage } from './channel-repeat-page.js'

type ChannelParams = { Params: { code: string } }

function sendRepeatForm(
  ctx: Ctx,
  req: FastifyRequest<ChannelParams>,
  reply: FastifyReply,
  values: RepeatFormValues,
  error?: string,
): FastifyReply {
  const { project, channel } = channelAccessOf(req)
  const status = error ? 400 : 200
  return sendMonitoringPage(ctx, req, reply, { title: 'Repeat alerts', status }, (csrf) => (
    <ChannelRepeatPage
      project={project}
      channel={channel}
      csrf={csrf}
      values={values}
      error={error}
    />
  ))
}

export function registerChannelRepeatRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<ChannelParams>('/integrations/:code/repeat/', CHANNEL_FORM, async (req, reply) =>
    sendRepeatForm(ctx, req, reply, storedRepeatValues(channelAccessOf(req).channel)),
  )

  app.post<ChannelParams>('/integrations/:code/repeat/', CHANNEL, async (req, reply) => {
    const { project, channel } = channelAccessOf(req)
    const values = postedRepeatValues(req.body)
    const body = repeatUpdateBody(values)
    const r = await updateChannel(ctx, { project, code: channel.code, body })
    if (r.ok) return reply.redirect(`/projects/${project.code}/integrations/?done=saved`, 303)
    if (r.error.kind !== 'invalid-field') return sendWebError(ctx, reply, r.error)
    const label = r.error.field === 'repeat_max' ? 'At most' : 'Repeat every'
    return sendRepeatForm(ctx, req, reply, values, `${label}: ${r.error.problem}.`)
  })
}
