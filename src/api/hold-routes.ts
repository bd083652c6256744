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
import { AUTH_ERRORS, BAD_REQUEST, NOT_YOURS, type RouteDoc } from '../route-doc.js'
import { authorize } from './api-auth.js'
import { type ApiReply, errorReply } from './api-reply.js'
import { type ApiCall, apiEndpoint } from './endpoint.js'
import { isUuid } from './path-params.js'

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const HOLD_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v3/checks/{code}/snooze',
    summary: 'Snooze a check: no alerts until a time',
    description:
      '`minutes` (1–43200) or `until` (ISO 8601 with a zone, in the future, at most 30 days ahead), ' +
      'optional `reason`. The check keeps taking pings and changing status; a down alert waits ' +
      'for the end of the snooze and is sent then only if the check is still down. Recoveries of ' +
      'a down announced before the snooze are sent. Snoozing again replaces the end.',
    access: 'write',
    tag: 'checks',
    body: 'SnoozeRequest',
    extension: true,
    responses: {
      '200': { description: 'The snoozed check.', schema: 'Check' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'delete',
    path: '/api/v3/checks/{code}/snooze',
    summary: 'End a snooze',
    description: 'A down alert held by the snooze is decided at once (sent if still down).',
    access: 'write',
    tag: 'checks',
    extension: true,
    responses: {
      '200': { description: 'The check, no longer snoozed.', schema: 'Check' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/snooze',
    summary: 'Snooze every check of the project carrying all the given tags',
    description:
      '`tags` (space-separated; absent or empty: every check of the project) plus the fields of a check snooze.',
    access: 'write',
    tag: 'checks',
    body: 'ProjectSnoozeRequest',
    extension: true,
    responses: {
      '200': { description: 'The snooze end and the snoozed checks.', schema: 'ProjectSnooze' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
    },
  },
  {
    method: 'get',
    path: '/api/v3/maintenance',
    summary: "The project's maintenance windows",
    description:
      'They apply to every check of the project, besides each check’s own `maintenance`.',
    access: 'read',
    tag: 'checks',
    extension: true,
    responses: {
      '200': { description: 'The windows.', schema: 'ProjectMaintenance' },
      ...AUTH_ERRORS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/maintenance',
    summary: "Replace the project's maintenance windows",
    access: 'write',
    tag: 'checks',
    body: 'ProjectMaintenance',
    extension: true,
    responses: {
      '200': { description: 'The saved windows.', schema: 'ProjectMaintenance' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
    },
  },
]

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
