/**
 * Vigil's v3 snooze and maintenance endpoints (issue 14): `POST/DELETE /checks/<uuid>/snooze`,
 * `POST /snooze` (every check with the given tags) and `GET/POST /maintenance` (the project's
 * windows). Read-only keys may read the windows but not snooze or change anything.
 */
import type { FastifyInstance } from 'fastify'
import {
  type CheckWithChannels,
  checkJson,
  endSnooze,
  isoSeconds,
  projectMaintenance,
  setProjectMaintenance,
  snoozeCheck,
  snoozeProjectChecks,
} from '../checks/index.js'
import type { Ctx } from '../context.js'
import { authorize } from './api-auth.js'
import { type ApiReply, errorReply } from './api-reply.js'
import { type ApiCall, apiEndpoint } from './endpoint.js'
import { isUuid } from './path-params.js'

export function registerHoldRoutes(app: FastifyInstance, ctx: Ctx): void {
  const reply = (c: CheckWithChannels, call: ApiCall): ApiReply => ({
    status: 200,
    json: checkJson(c.check, {
      config: ctx.config,
      version: call.version,
      readonly: false,
      channelCodes: c.channelCodes,
      now: ctx.clock.now(),
    }),
  })

  apiEndpoint(app, ['/checks/:code/snooze'], ({ code }, version) =>
    version === 3 && isUuid(code)
      ? {
          POST: async (call) => {
            const auth = await authorize(ctx, call, 'write')
            if (!auth.ok) return errorReply(auth.error)
            const input = { projectId: auth.value.project.id, code, body: call.body }
            const r = await snoozeCheck(ctx, { ...input, source: 'api' })
            return r.ok ? reply(r.value, call) : errorReply(r.error)
          },
          DELETE: async (call) => {
            const auth = await authorize(ctx, call, 'write')
            if (!auth.ok) return errorReply(auth.error)
            const r = await endSnooze(ctx, { projectId: auth.value.project.id, code })
            return r.ok ? reply(r.value, call) : errorReply(r.error)
          },
        }
      : null,
  )

  apiEndpoint(app, ['/snooze'], (_params, version) =>
    version === 3
      ? {
          POST: async (call) => {
            const auth = await authorize(ctx, call, 'write')
            if (!auth.ok) return errorReply(auth.error)
            const r = await snoozeProjectChecks(ctx, {
              projectId: auth.value.project.id,
              body: call.body,
            })
            if (!r.ok) return errorReply(r.error)
            return {
              status: 200,
              json: { snoozed_until: isoSeconds(r.value.until), checks: r.value.codes },
            }
          },
        }
      : null,
  )

  apiEndpoint(app, ['/maintenance'], (_params, version) =>
    version === 3
      ? {
          GET: async (call) => {
            const auth = await authorize(ctx, call, 'read')
            if (!auth.ok) return errorReply(auth.error)
            const windows = await projectMaintenance(ctx, auth.value.project.id)
            return { status: 200, json: { maintenance: windows } }
          },
          POST: async (call) => {
            const auth = await authorize(ctx, call, 'write')
            if (!auth.ok) return errorReply(auth.error)
            const r = await setProjectMaintenance(ctx, {
              projectId: auth.value.project.id,
              body: call.body,
            })
            return r.ok ? { status: 200, json: { maintenance: r.value } } : errorReply(r.error)
          },
        }
      : null,
  )
}
