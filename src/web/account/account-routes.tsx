/**
 * The /account/… pages of the account-security subsystem (spec accounts.md §5), registered by
 * the web plugin, and the account pages' scripts under /static/. Each group lives in its own
 * file; this one only wires them.
 */
import type { FastifyInstance } from 'fastify'
import type { Ctx } from '../../context.js'
import { STATIC_ASSET } from '../access-guard.js'
import { ACCOUNT_SCRIPTS } from './account-scripts.js'
import { registerCloseAccountRoutes } from './close-account-routes.js'
import { registerConfirmRoutes } from './confirm-routes.js'
import { registerCredentialRoutes } from './credential-routes.js'
import { registerKeyRoutes } from './key-routes.js'
import { registerPhoneRoutes } from './phone-routes.js'
import { registerProfileRoutes } from './profile-routes.js'
import { registerSecurityRoutes } from './security-routes.js'
import { registerSessionRoutes } from './session-routes.js'
import { registerTeamRoutes } from './team-routes.js'

export function registerAccountRoutes(app: FastifyInstance, ctx: Ctx): void {
  for (const script of ACCOUNT_SCRIPTS) {
    app.get(script.path, STATIC_ASSET, async (_req, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(script.body),
    )
  }
  registerConfirmRoutes(app, ctx)
  registerSecurityRoutes(app, ctx)
  registerCredentialRoutes(app, ctx)
  registerSessionRoutes(app, ctx)
  registerKeyRoutes(app, ctx)
  registerCloseAccountRoutes(app, ctx)
  registerTeamRoutes(app, ctx)
  registerProfileRoutes(app, ctx)
  registerPhoneRoutes(app, ctx)
}
