/**
 * Sends a server-rendered page: preact-render-to-string (which escapes every text and attribute)
 * behind a doctype, as `text/html; charset=utf-8`. Pages never use dangerouslySetInnerHTML.
 * The visitor's theme cookie is handed to the layout through ThemeContext, and a superuser's
 * admin notice (admin/admin-notice.tsx) through AdminNoticeContext.
 */
import type { FastifyReply } from 'fastify'
import { h, type VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { AdminNoticeContext } from './admin/admin-notice.js'
import { THEME_COOKIE, ThemeContext, themeFrom } from './theme.js'

export function sendPage(reply: FastifyReply, status: number, page: VNode): FastifyReply {
  const theme = themeFrom(reply.request.cookies?.[THEME_COOKIE])
  const admin = h(AdminNoticeContext.Provider, { value: reply.request.adminNotice ?? null }, page)
  const html = renderToString(h(ThemeContext.Provider, { value: theme }, admin))
  return reply.code(status).type('text/html; charset=utf-8').send(`<!doctype html>\n${html}`)
}

/** A form field as a string; absent, repeated or non-text fields read as ''. */
export function formField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | null | undefined)?.[name]
  return typeof value === 'string' ? value : ''
}
