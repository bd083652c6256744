/**
 * What the /account/… pages share: rendering inside the site layout with the log-out form, the
 * request facts the audit log records, and the notice shown when a change could not be e-mailed.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ComponentChildren } from 'preact'
import { NOT_EMAILED, type RequestMeta } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { formCsrfToken } from '../csrf.js'
import { Layout } from '../layout.js'
import { sendPage } from '../render.js'

/** Where the request came from, for the audit log. */
export function requestMeta(req: FastifyRequest): RequestMeta {
  return {
    ip: req.ip,
    userAgent: String(req.headers['user-agent'] ?? ''),
    sessionId: req.webAuth?.session.id ?? null,
  }
}

export function sendAccountPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  title: string,
  body: (csrf: string) => ComponentChildren,
  options: { narrow?: boolean; scripts?: string[] } = {},
): FastifyReply {
  const csrf = formCsrfToken(ctx, req, reply)
  const account = req.webAuth ? { email: req.webAuth.user.email, csrf } : undefined
  return sendPage(
    reply,
    status,
    <Layout
      siteName={ctx.config.siteName}
      title={title}
      account={account}
      narrow={options.narrow}
      scripts={options.scripts}
    >
      {body(csrf)}
    </Layout>,
  )
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  )
}

export function ErrorText({ children }: { children: ComponentChildren }) {
  return (
    <p class="error" role="alert">
      {children}
    </p>
  )
}

/** Minutes for a "try again in" message, never "0 minutes". */
export function waitText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60))
  return `${minutes} minute${minutes === 1 ? '' : 's'}`
}

/**
 * What a page says after a second factor was removed: two-factor authentication is off (the last
 * one went) or `removed`, and whether the security notice could be mailed.
 */
export function factorRemovedNotice(
  done: { twoFactorOff: boolean; notified: boolean },
  removed: string,
): string {
  const what = done.twoFactorOff ? 'Two-factor authentication is now off.' : removed
  return [what, done.notified ? '' : NOT_EMAILED].join(' ').trim()
}
