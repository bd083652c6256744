/**
 * Sends a server-rendered page: preact-render-to-string (which escapes every text and attribute)
 * behind a doctype, as `text/html; charset=utf-8`. Pages never use dangerouslySetInnerHTML.
 */
import type { FastifyReply } from 'fastify'
import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'

export function sendPage(reply: FastifyReply, status: number, page: VNode): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html>\n${renderToString(page)}`)
}

/** A form field as a string; absent, repeated or non-text fields read as ''. */
export function formField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | null | undefined)?.[name]
  return typeof value === 'string' ? value : ''
}
