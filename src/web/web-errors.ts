/**
 * The one error table of the web UI (issue 16 §2), as src/api/api-reply.ts is the API's: a use
 * case's error kind → the status a page answers with and the sentence it shows, with Retry-After
 * for throttling. A page passes its own sentences (`WebMessages`) only where a kind means
 * something particular on that page; the statuses stay here. Not here: the access guard's
 * refusals (access-guard.ts) and the pages themselves.
 */
import type { FastifyReply } from 'fastify'
import { BREACHED_PASSWORD_TEXT } from '../accounts/index.js'
import { type ChannelRefError, channelRefMessage, invalidFieldMessage } from '../checks/index.js'
import type { Ctx } from '../context.js'
import { waitText } from './account/account-page.js'
import { sendErrorPage } from './error-page.js'
import { sendNotFound } from './monitoring-page.js'

/** A use case's expected failure: its `kind`, and whatever fields that kind carries. */
export type KindedError = { readonly kind: string }

type Message = string | ((e: KindedError & Record<string, unknown>) => string)

/** A page's own sentences for the kinds it words differently. */
export type WebMessages = Readonly<Record<string, Message>>

export interface WebError {
  status: number
  message: string
  /** False when the posted form cannot fix it (no such thing, a limit): show a plain page. */
  fixable: boolean
}

/** Kinds whose status is not 400. */
const STATUS: Readonly<Record<string, number>> = {
  throttled: 429,
  'rate-limited': 429,
  forbidden: 403,
  'downgrade-blocked': 403,
  'wrong-setup-code': 403,
  'check-not-found': 404,
  'check-forbidden': 404,
  'channel-not-found': 404,
  'channel-forbidden': 404,
  // Not failures the person caused: the page explains, and a retry may work.
  'mail-degraded': 200,
  'too-soon': 200,
  closed: 200,
  // Healthchecks answers a wrong log-in with the form again, 200.
  'invalid-credentials': 200,
  'provider-unreachable': 200,
  'send-failed': 200,
}

const refMessage: Message = (e) => channelRefMessage(e as unknown as ChannelRefError)

const tryAgain: Message = (e) =>
  `Too many attempts. Try again in ${waitText(retryAfterOf(e) ?? 0)}.`

/** The sentences every page shares; a page's WebMessages take precedence. */
const MESSAGES: WebMessages = {
  throttled: tryAgain,
  'rate-limited': tryAgain,
  'wrong-current-password': 'The current password is not right.',
  'password-too-short': (e) => `The password needs at least ${e.min} characters.`,
  'password-too-long': (e) => `The password may have at most ${e.max} characters.`,
  'password-too-common': 'This password is too common. Choose a less common one.',
  'password-breached': BREACHED_PASSWORD_TEXT,
  'invalid-field': (e) =>
    invalidFieldMessage(e as unknown as Parameters<typeof invalidFieldMessage>[0]),
  'check-limit': 'You have reached the check limit of your account; remove a check first.',
  'check-not-paused': 'This check is not paused.',
  'same-project': 'The check is already in that project.',
  'channel-unavailable': (e) => String(e.reason),
  'empty-channel-identifier': refMessage,
  'invalid-channel-identifier': refMessage,
  'non-unique-channel-identifier': refMessage,
}

/** Kinds of 400 that no change to the posted form fixes. */
const UNFIXABLE = new Set([
  'check-limit',
  'check-not-paused',
  'same-project',
  'channel-unavailable',
])

function retryAfterOf(e: KindedError): number | undefined {
  const s = (e as { retryAfterSeconds?: unknown }).retryAfterSeconds
  return typeof s === 'number' ? s : undefined
}

/**
 * The status and sentence for `e`. A kind no table words reads as `fallback` (the page's
 * general sentence for that form).
 */
export function describeWebError(
  e: KindedError,
  messages: WebMessages = {},
  fallback = 'That did not work. Try again.',
): WebError {
  const m = messages[e.kind] ?? MESSAGES[e.kind] ?? fallback
  const message = typeof m === 'function' ? m(e as KindedError & Record<string, unknown>) : m
  const status = STATUS[e.kind] ?? 400
  return { status, message, fixable: status !== 404 && !UNFIXABLE.has(e.kind) }
}

/** describeWebError, and Retry-After on `reply` when `e` is throttling that says how long. */
export function webError(
  reply: FastifyReply,
  e: KindedError,
  messages: WebMessages = {},
  fallback?: string,
): WebError {
  setRetryAfter(reply, e)
  return describeWebError(e, messages, fallback)
}

/** Retry-After on `reply` when `e` is throttling that says how long (RL-W1). */
export function setRetryAfter(reply: FastifyReply, e: KindedError): void {
  const retryAfter = retryAfterOf(e)
  if (retryAfter !== undefined && STATUS[e.kind] === 429)
    reply.header('Retry-After', String(retryAfter))
}

/** Answers `e` with the plain error page: "Page not found" for a 404, else the sentence. */
export function sendWebError(
  ctx: Ctx,
  reply: FastifyReply,
  e: KindedError,
  messages: WebMessages = {},
): FastifyReply {
  const { status, message } = webError(reply, e, messages)
  if (status === 404) return sendNotFound(ctx, reply)
  return sendErrorPage(reply, ctx.config, status, {
    title: status === 403 ? 'Forbidden' : 'Bad request',
    message,
  })
}
