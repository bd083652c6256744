/**
 * Delivery reports from the outside, under /api/v1|v2|v3/ without an API key and without the
 * CORS wrapper, as Healthchecks: `POST notifications/<uuid>/status` (Twilio's StatusCallback;
 * other methods 405, a malformed uuid 404, anything else an empty 200) and `bounces/` (a raw
 * bounce mail; any method; always 200 with a short text). The work is in the use cases.
 */
import type { FastifyInstance } from 'fastify'
import type { Ctx } from '../context.js'
import { notFound, sendReply } from './api-reply.js'
import { isUuid } from './path-params.js'
import { recordBounce } from './record-bounce.js'
import { recordDeliveryStatus } from './record-delivery-status.js'

/** The raw body (routes.ts keeps every body as bytes) as text. */
function bodyText(body: unknown): string {
  return Buffer.isBuffer(body) ? body.toString('utf8') : ''
}

export function registerDeliveryReportRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.all('/api/:version(v1|v2|v3)/notifications/:code/status', async (req, reply) => {
    const { code } = req.params as { code: string }
    if (!isUuid(code)) return sendReply(reply, notFound())
    if (req.method !== 'POST') return reply.code(405).send()
    const fields = new URLSearchParams(bodyText(req.body))
    await recordDeliveryStatus(ctx, { code, fields })
    return reply.code(200).type('text/html; charset=utf-8').send('')
  })
  app.all('/api/:version(v1|v2|v3)/bounces/', async (req, reply) => {
    const answer = await recordBounce(ctx, bodyText(req.body))
    return reply.type('text/html; charset=utf-8').send(answer)
  })
}
