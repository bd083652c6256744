/**
 * The details page's snooze buttons (issue 14): POST /checks/<c>/snooze/ (minutes from the
 * duration list, an optional reason) and POST /checks/<c>/unsnooze/, for read-write roles. Each
 * redirects to the details page; bad input is a 400 page with the rule's message.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { endSnooze, snoozeCheck } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import { CHECK, checkAccessOf } from '../access-guard.js'
import { formField } from '../render.js'
import { sendWebError } from '../web-errors.js'

type CheckParams = { Params: { code: string } }

export function registerHoldRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/checks/:code/snooze/', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const { check, project } = checkAccessOf(req)
    const text = formField(req.body, 'minutes')
    const minutes = /^\d{1,6}$/.test(text) ? Number(text) : text
    const body = { minutes, reason: formField(req.body, 'reason').trim() }
    const input = { projectId: project.id, code: check.code, body, source: 'web' as const }
    const r = await snoozeCheck(ctx, input)
    if (!r.ok) return sendWebError(ctx, reply, r.error)
    return reply.redirect(`/checks/${check.code}/details/?snoozed=1`, 303)
  })

  app.post('/checks/:code/unsnooze/', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const { check, project } = checkAccessOf(req)
    const r = await endSnooze(ctx, { projectId: project.id, code: check.code })
    if (!r.ok) return sendWebError(ctx, reply, r.error)
    return reply.redirect(`/checks/${check.code}/details/?unsnoozed=1`, 303)
  })
}
