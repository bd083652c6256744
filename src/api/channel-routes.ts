/**
 * Channel endpoints. `GET /api/vN/channels/` lists the project's integrations exactly as
 * Healthchecks (id, name, kind; read-write keys only). Vigil extension, v3 only, read-write keys
 * only: `POST /api/v3/channels/` creates, `GET|POST|DELETE /api/v3/channels/<uuid>` reads, updates
 * and deletes one (channels/ use cases), so a project can be provisioned as code.
 */
import type { FastifyInstance } from 'fastify'
import {
  channelJson,
  checkCodesOfChannel,
  createChannel,
  deleteChannel,
  findProjectChannel,
  listProjectChannels,
  updateChannel,
} from '../channels/index.js'
import type { Ctx } from '../context.js'
import { AUTH_ERRORS, BAD_REQUEST, NOT_YOURS, type RouteDoc } from '../route-doc.js'
import { authorize } from './api-auth.js'
import { errorReply } from './api-reply.js'
import { type ApiHandler, apiEndpoint } from './endpoint.js'
import { isUuid } from './path-params.js'

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const CHANNEL_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v3/channels/',
    summary: "List the project's integrations",
    access: 'write',
    tag: 'channels',
    responses: {
      '200': { description: 'The channels.', schema: 'ChannelSummaryList' },
      ...AUTH_ERRORS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/channels/',
    summary: 'Create an integration',
    description:
      '`config` is validated by the same code as the web form; secrets are masked in the answer.',
    access: 'write',
    tag: 'channels',
    body: 'ChannelSpec',
    extension: true,
    responses: {
      '201': { description: 'Created.', schema: 'Channel' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
    },
  },
  {
    method: 'get',
    path: '/api/v3/channels/{code}',
    summary: 'Get an integration',
    access: 'write',
    tag: 'channels',
    extension: true,
    responses: {
      '200': { description: 'The channel, secrets masked.', schema: 'Channel' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/channels/{code}',
    summary: 'Update an integration',
    description:
      '`name` renames, `config` replaces the configuration, `checks` replaces the assignment.',
    access: 'write',
    tag: 'channels',
    body: 'ChannelSpec',
    extension: true,
    responses: {
      '200': { description: 'The updated channel.', schema: 'Channel' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'delete',
    path: '/api/v3/channels/{code}',
    summary: 'Delete an integration',
    access: 'write',
    tag: 'channels',
    extension: true,
    responses: {
      '200': { description: 'The deleted channel.', schema: 'Channel' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
]

export function registerChannelRoutes(app: FastifyInstance, ctx: Ctx): void {
  const list: ApiHandler = async (call) => {
    const auth = await authorize(ctx, call, 'write')
    if (!auth.ok) return errorReply(auth.error)
    const channels = await listProjectChannels(ctx.db.kysely, auth.value.project.id)
    return { status: 200, json: { channels } }
  }
  const create: ApiHandler = async (call) => {
    const auth = await authorize(ctx, call, 'write')
    if (!auth.ok) return errorReply(auth.error)
    const r = await createChannel(ctx, { project: auth.value.project, body: call.body })
    return r.ok ? { status: 201, json: channelJson(r.value) } : errorReply(r.error)
  }
  apiEndpoint(app, ['/channels/', '/channels'], (_params, version) =>
    version === 3 ? { GET: list, POST: create } : { GET: list },
  )

  apiEndpoint(app, ['/channels/:code'], ({ code }, version) => {
    if (version !== 3 || !isUuid(code)) return null
    return {
      GET: async (call) => {
        const auth = await authorize(ctx, call, 'write')
        if (!auth.ok) return errorReply(auth.error)
        const k = ctx.db.kysely
        const r = await findProjectChannel(k, auth.value.project.id, code)
        if (!r.ok) return errorReply(r.error)
        const checkCodes = await checkCodesOfChannel(k, r.value.id)
        return { status: 200, json: channelJson({ channel: r.value, checkCodes }) }
      },
      POST: async (call) => {
        const auth = await authorize(ctx, call, 'write')
        if (!auth.ok) return errorReply(auth.error)
        const r = await updateChannel(ctx, { project: auth.value.project, code, body: call.body })
        return r.ok ? { status: 200, json: channelJson(r.value) } : errorReply(r.error)
      },
      DELETE: async (call) => {
        const auth = await authorize(ctx, call, 'write')
        if (!auth.ok) return errorReply(auth.error)
        const r = await deleteChannel(ctx, { projectId: auth.value.project.id, code })
        return r.ok ? { status: 200, json: channelJson(r.value) } : errorReply(r.error)
      },
    }
  })
}
