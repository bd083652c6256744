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
import { AUTH_ERRORS, BAD_REQUEST, NOT_YOURS, type RouteDoc } from '../route-doc.js'
import { authorize } from './api-auth.js'
import { type ApiReply, errorReply } from './api-reply.js'
import { type ApiCall, apiEndpoint } from './endpoint.js'
import { isUniqueKey, isUuid, lastValue } from './path-params.js'

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const CHECK_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v3/checks/',
    summary: 'List checks',
    description:
      'Filters: repeatable `tag` (all must match) and `slug`. Read-only keys see `unique_key` instead of UUIDs and URLs.',
    access: 'read',
    tag: 'checks',
    responses: { '200': { description: 'The checks.', schema: 'CheckList' }, ...AUTH_ERRORS },
  },
  {
    method: 'post',
    path: '/api/v3/checks/',
    summary: 'Create a check (or update the one matching `unique`)',
    access: 'write',
    tag: 'checks',
    body: 'CheckSpec',
    responses: {
      '200': {
        description: 'An existing check matched `unique` and was updated.',
        schema: 'Check',
      },
      '201': { description: 'Created.', schema: 'Check' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
      '403': { description: 'The check limit is reached (empty body).' },
    },
  },
  {
    method: 'get',
    path: '/api/v3/checks/{code}',
    summary: 'Get a check by UUID or by its 40-character unique key',
    access: 'read',
    tag: 'checks',
    responses: {
      '200': { description: 'The check.', schema: 'Check' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/checks/{code}',
    summary: 'Update a check',
    description: 'Only the fields sent change; `channels` replaces the assignment.',
    access: 'write',
    tag: 'checks',
    body: 'CheckSpec',
    responses: {
      '200': { description: 'The updated check.', schema: 'Check' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'delete',
    path: '/api/v3/checks/{code}',
    summary: 'Delete a check',
    access: 'write',
    tag: 'checks',
    responses: {
      '200': { description: 'The deleted check.', schema: 'Check' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/checks/{code}/pause',
    summary: 'Pause a check',
    access: 'write',
    tag: 'checks',
    responses: {
      '200': { description: 'The paused check.', schema: 'Check' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/checks/{code}/resume',
    summary: 'Resume a paused check',
    access: 'write',
    tag: 'checks',
    responses: {
      '200': { description: 'The resumed check.', schema: 'Check' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
      '409': { description: 'The check is not paused.', media: 'text/plain' },
    },
  },
]

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
