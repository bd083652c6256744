/**
 * GET/POST /login and POST /logout. Failed log-ins answer 200 with the form and one message for
 * unknown addresses and wrong passwords alike (as Healthchecks' "Incorrect email or password");
 * throttled ones answer 429 with Retry-After. A successful log-in always starts a new session.
 */
import type { FastifyInstance } from 'fastify'
import { countUsers } from '../../accounts/create-user.js'
import { logIn } from '../../accounts/log-in.js'
import { deleteSession } from '../../accounts/sessions.js'
import type { Ctx } from '../../context.js'
import { formCsrfToken } from '../csrf.js'
import { formField, sendPage } from '../render.js'
import { clearSessionCookie, setSessionCookie } from '../web-auth.js'
import { LoginPage } from './login-page.js'

export const INCORRECT_LOGIN = 'Incorrect email or password.'

export function registerLoginRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/login', async (req, reply) => {
    if (req.webAuth) return reply.redirect('/checks/', 303)
    // A fresh instance has nobody to log in yet: the home page offers the first-run form.
    if ((await countUsers(ctx)) === 0) return reply.redirect('/', 303)
    return sendPage(
      reply,
      200,
      <LoginPage siteName={ctx.config.siteName} csrf={formCsrfToken(ctx, req, reply)} />,
    )
  })

  app.post('/login', { config: { anonymousForm: true } }, async (req, reply) => {
    const email = formField(req.body, 'email')
    const r = await logIn(ctx, { email, password: formField(req.body, 'password'), ip: req.ip })
    if (!r.ok) {
      const retryAfter = r.error.kind === 'throttled' ? r.error.retryAfterSeconds : 0
      if (retryAfter) reply.header('Retry-After', String(retryAfter))
      const minutes = Math.ceil(retryAfter / 60)
      const error = retryAfter
        ? `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
        : INCORRECT_LOGIN
      const csrf = formCsrfToken(ctx, req, reply)
      return sendPage(
        reply,
        retryAfter ? 429 : 200,
        <LoginPage siteName={ctx.config.siteName} csrf={csrf} email={email} error={error} />,
      )
    }
    // Whatever session this browser had is replaced, never reused (session fixation).
    if (req.webAuth) await deleteSession(ctx, req.webAuth.session.id)
    setSessionCookie(ctx, reply, r.value.token, r.value.session)
    return reply.redirect('/checks/', 303)
  })

  app.post('/logout', async (req, reply) => {
    if (req.webAuth) await deleteSession(ctx, req.webAuth.session.id)
    clearSessionCookie(ctx, reply)
    return reply.redirect('/login', 303)
  })
}
