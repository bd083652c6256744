/**
 * /account/close (spec LG-7): closing one's own account after a sudo grant, typing the address to
 * confirm. The session ends with the account, so the answer is a plain page for a logged-out
 * visitor.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { closeAccount } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { LOGGED_IN, userOf } from '../access-guard.js'
import { formField, sendPage } from '../render.js'
import { clearSessionCookie } from '../web-auth.js'
import { requestMeta, sendAccountPage } from './account-page.js'
import { AccountClosedPage, CloseAccountPage } from './close-account-page.js'
import { requireSudo } from './require-sudo.js'

function closePage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error?: string,
) {
  return sendAccountPage(
    ctx,
    req,
    reply,
    status,
    'Close account',
    (csrf) => <CloseAccountPage csrf={csrf} error={error} />,
    { narrow: true },
  )
}

export function registerCloseAccountRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/account/close', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/close'))) return reply
    return closePage(ctx, req, reply, 200)
  })

  app.post('/account/close', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/close'))) return reply
    const auth = userOf(req)
    const r = await closeAccount(ctx, {
      user: auth.user,
      typedEmail: formField(req.body, 'email'),
      meta: requestMeta(req),
    })
    if (!r.ok)
      return closePage(ctx, req, reply, 400, 'That is not your address. Nothing was deleted.')
    clearSessionCookie(ctx, reply)
    return sendPage(reply, 200, <AccountClosedPage siteName={ctx.config.siteName} />)
  })
}
