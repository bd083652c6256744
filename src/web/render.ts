/**
 * Sends a server-rendered page: preact-render-to-string (which escapes every text and attribute)
 * behind a doctype, as `text/html; charset=utf-8`. Pages never use dangerouslySetInnerHTML.
 * The visitor's theme cookie is handed to the layout through ThemeContext.
 */
import type { FastifyReply } from 'fastify'
import { h, type VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { THEME_COOKIE, ThemeContext, themeFrom } from './theme.js'

export function sendPage(reply: FastifyReply, status: number, page: VNode): FastifyReply {
  const theme = themeFrom(reply.request.cookies?.[THEME_COOKIE])
  const html = renderToString(h(ThemeContext.Provider, { value: theme }, page))
  return reply.code(status).type('text/html; charset=utf-8').send(`<!doctype html>\n${html}`)
}

/** A form field as a string; absent, repeated or non-text fields read as ''. */
export function formField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | null | undefined)?.[name]
  return typeof value === 'string' ? value : ''
}
