/**
 * The checks endpoints of the management API: list and create (`/checks/`), get, update and
 * delete one (`/checks/<uuid>`, and get by `/checks/<unique_key>`), pause and resume.
 * Thin handlers: authorize, call one use case from checks/, map the result (api-reply.ts).
 */
import type { FastifyInstance } from 'fastify'
import {
  type CheckWithChannels,
  checkJson,
  deleteCheck,
  getCheck,
  listChecks,
  pauseCheck,
  resumeCheck,
  updateCheck,
  upsertCheck,
} from '../checks/index.js'
import type { Ctx } from '../context.js'
import { authorize } from './api-auth.js'
import { type ApiReply, errorReply } from './api-reply.js'
import { type ApiCall, apiEndpoint } from './endpoint.js'
import { isUniqueKey, isUuid, lastValue } from './path-params.js'

export function registerCheckRoutes(app: FastifyInstance, ctx: Ctx): void {
  const toJson = (c: CheckWithChannels, call: ApiCall, readonly = false) =>
    checkJson(c.check, {
      config: ctx.config,
      version: call.version,
      readonly,
      channelCodes: c.channelCodes,
      dependsOn: c.dependsOn,
      now: ctx.clock.now(),
    })
  const reply = (c: CheckWithChannels, call: ApiCall, status = 200): ApiReply => ({
    status,
    json: toJson(c, call),
  })

  apiEndpoint(app, ['/checks/', '/checks'], () => ({
    GET: async (call) => {
      const auth = await authorize(ctx, call, 'read')
      if (!auth.ok) return errorReply(auth.error)
      const checks = await listChecks(ctx, {
        projectId: auth.value.project.id,
        tags: call.query.tag ?? [],
        slug: lastValue(call.query.slug),
      })
      return {
        status: 200,
        json: { checks: checks.map((c) => toJson(c, call, auth.value.readonly)) },
      }
    },
    POST: async (call) => {
      const auth = await authorize(ctx, call, 'write')
      if (!auth.ok) return errorReply(auth.error)
      const r = await upsertCheck(ctx, {
        project: auth.value.project,
        body: call.body,
        version: call.version,
      })
      return r.ok ? reply(r.value, call, r.value.created ? 201 : 200) : errorReply(r.error)
    },
  }))

  apiEndpoint(app, ['/checks/:code'], ({ code }) => {
    if (isUniqueKey(code)) {
      return {
        GET: async (call) => {
          const auth = await authorize(ctx, call, 'read')
          if (!auth.ok) return errorReply(auth.error)
          const r = await getCheck(ctx.db.kysely, auth.value.project.id, { uniqueKey: code })
          return r.ok
            ? { status: 200, json: toJson(r.value, call, auth.value.readonly) }
            : errorReply(r.error)
        },
      }
    }
    if (!isUuid(code)) return null
    return {
      POST: async (call) => {
        const auth = await authorize(ctx, call, 'write')
        if (!auth.ok) return errorReply(auth.error)
        const r = await updateCheck(ctx, {
          projectId: auth.value.project.id,
          code,
          body: call.body,
          version: call.version,
        })
        return r.ok ? reply(r.value, call) : errorReply(r.error)
      },
      DELETE: async (call) => {
        const auth = await authorize(ctx, call, 'write')
        if (!auth.ok) return errorReply(auth.error)
        const r = await deleteCheck(ctx, { projectId: auth.value.project.id, code })
        // The channel links are gone with the check, so `channels` comes out "" (as Healthchecks).
        return r.ok ? reply({ check: r.value, channelCodes: [] }, call) : errorReply(r.error)
      },
      GET: async (call) => {
        const auth = await authorize(ctx, call, 'read')
        if (!auth.ok) return errorReply(auth.error)
        const r = await getCheck(ctx.db.kysely, auth.value.project.id, { code })
        return r.ok
          ? { status: 200, json: toJson(r.value, call, auth.value.readonly) }
          : errorReply(r.error)
      },
    }
  })

  for (const [action, run] of [
    ['pause', pauseCheck],
    ['resume', resumeCheck],
  ] as const) {
    apiEndpoint(app, [`/checks/:code/${action}`], ({ code }) =>
      isUuid(code)
        ? {
            POST: async (call) => {
              const auth = await authorize(ctx, call, 'write')
              if (!auth.ok) return errorReply(auth.error)
              const r = await run(ctx, { projectId: auth.value.project.id, code })
              return r.ok ? reply(r.value, call) : errorReply(r.error)
            },
          }
        : null,
    )
  }
}
