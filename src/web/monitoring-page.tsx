/**
 * What the monitoring pages share (who may open them is the access guard's job, access-guard.ts):
 * rendering inside the site layout with the page's scripts, and
 * the plain "not found" answer for projects and checks the user may not open.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ComponentChildren } from 'preact'
import type { Ctx } from '../context.js'
import { formCsrfToken } from './csrf.js'
import { ERROR_TEXT, sendErrorPage } from './error-page.js'
import { Layout } from './layout.js'
import { sendPage } from './render.js'

export interface PageOptions {
  title: string
  status?: number
  scripts?: string[]
}

/** Renders `body(csrf)` in the layout for the logged-in user. */
export function sendMonitoringPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  options: PageOptions,
  body: (csrf: string) => ComponentChildren,
): FastifyReply {
  const csrf = formCsrfToken(ctx, req, reply)
  const account = req.webAuth ? { email: req.webAuth.user.email, csrf } : undefined
  return sendPage(
    reply,
    options.status ?? 200,
    <Layout
      siteName={ctx.config.siteName}
      title={options.title}
      account={account}
      scripts={options.scripts}
    >
      {body(csrf)}
    </Layout>,
  )
}

export function sendNotFound(ctx: Ctx, reply: FastifyReply): FastifyReply {
  return sendErrorPage(reply, ctx.config, 404, {
    title: 'Page not found',
    message: ERROR_TEXT.notFound,
  })
}

/** A read-only member tried to change something (Healthchecks answers 403). */
export function sendReadOnly(ctx: Ctx, reply: FastifyReply): FastifyReply {
  return sendErrorPage(reply, ctx.config, 403, {
    title: 'Read-only access',
    message:
      'You have read-only access to this project, so you cannot change it. Ask its owner or a manager.',
  })
}

/** A 400 page for a form or query the page cannot use. */
export function sendBadRequest(ctx: Ctx, reply: FastifyReply, message: string): FastifyReply {
  return sendErrorPage(reply, ctx.config, 400, { title: 'Bad request', message })
}
