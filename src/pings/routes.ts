import type { FastifyPluginAsync } from 'fastify'
import type { Ctx } from '../context.js'

/** Placeholder: the ping routes are being written. */
export const pingRoutes: FastifyPluginAsync<{ ctx: Ctx }> = async () => {}
