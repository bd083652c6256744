/**
 * Error pages of the web UI: what happened and what to do next, never a stack trace. The texts of
 * the common cases live here so every route shows the same words.
 */
import type { FastifyReply } from 'fastify'
import type { Config } from '../config/index.js'
import { Layout } from './layout.js'
import { sendPage } from './render.js'

export const ERROR_TEXT = {
  csrf: 'The form expired or came from another site; reload the page and try again.',
  notFound: 'There is nothing at this address. Check the link, or go back to the dashboard.',
  alreadySetUp: 'This Vigil instance already has an owner account. Log in instead.',
} as const

/** The global handler's wording, with the incident id the log carries. */
export function unexpectedErrorText(incident: string): string {
  return `Something went wrong on our side (incident ${incident}). The administrator can find it in the log.`
}

export interface ErrorPageProps {
  siteName: string
  title: string
  message: string
  /** Where to go from here; defaults to the home page. */
  link?: { href: string; text: string }
}

export function ErrorPage({
  siteName,
  title,
  message,
  link = { href: '/', text: 'Go to the home page' },
}: ErrorPageProps) {
  return (
    <Layout siteName={siteName} title={title} narrow>
      <div class="card">
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href={link.href}>{link.text}</a>
        </p>
      </div>
    </Layout>
  )
}

/** Answers with an error page. */
export function sendErrorPage(
  reply: FastifyReply,
  config: Pick<Config, 'siteName'>,
  status: number,
  props: Omit<ErrorPageProps, 'siteName'>,
): FastifyReply {
  return sendPage(reply, status, <ErrorPage siteName={config.siteName} {...props} />)
}
