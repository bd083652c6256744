/**
 * POST /theme: the light / dark / system switch in the page footer. Stores the choice in a
 * year-long cookie and returns to the page the form was on (same-site Referer only).
 */
import type { FastifyInstance } from 'fastify'
import { isSecureSite } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import { PUBLIC } from './access-guard.js'
import { sameSitePath } from './login/local-next.js'
import { formField } from './render.js'
import { THEME_COOKIE, themeFrom } from './theme.js'

export function registerThemeRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/theme', PUBLIC, async (req, reply) => {
    const theme = themeFrom(formField(req.body, 'theme'))
    const options = {
      path: '/',
      sameSite: 'lax' as const,
      httpOnly: true,
      secure: isSecureSite(ctx.config),
    }
    if (theme === 'system') reply.clearCookie(THEME_COOKIE, options)
    else reply.setCookie(THEME_COOKIE, theme, { ...options, maxAge: 365 * 86_400 })
    return reply.redirect(sameSitePath(req.headers.referer, ctx.config.siteRoot) ?? '/', 303)
  })
}
