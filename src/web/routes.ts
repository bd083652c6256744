import type { FastifyPluginAsync } from 'fastify'
import type { Ctx } from '../context.js'

/** Placeholder: the web pages are being written. */
export const webRoutes: FastifyPluginAsync<{ ctx: Ctx }> = async () => {}
