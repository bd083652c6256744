/**
 * The inbound SMTP server that turns mail into pings (`vigil smtpd`, Healthchecks' `manage.py
 * smtpd`, spec §3.6). RCPT accepts only `<uuid>@PING_EMAIL_DOMAIN` and
 * `<ping-key>+<slug>@PING_EMAIL_DOMAIN` addresses of existing checks (no open relay; unknown
 * check → 550, where Healthchecks accepts and drops). DATA records one `email` ping per recipient
 * through recordPing, so the group commit applies, and answers 250 only after every ping
 * committed; a database failure answers 451 so the sender retries. Not here: ping rules.
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server'
import type { Ctx } from '../context.js'
import { remoteAddress, truncateChars } from './client-info.js'
import { readEmailFacts } from './email-message.js'
import { parseEmailRecipient } from './email-recipient.js'
import { findPingTarget } from './find-ping-target.js'
import type { EmailPingFacts } from './ping-action.js'
import { recordPing } from './record-ping.js'

/** Recipients of one message; more are told to come back (452), as RFC 5321 §4.5.3.1.10 allows. */
const MAX_RECIPIENTS = 50
/** How long close() lets open sessions finish before they are told 421 and closed. */
const CLOSE_GRACE_MS = 10_000

export interface SmtpdOptions {
  host: string
  /** 0: any free port (tests). */
  port: number
}

export interface Smtpd {
  /** The port it listens on. */
  port: number
  /** Stops accepting, waits for messages being recorded, then closes the sessions. */
  close(): Promise<void>
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code })
}

/** The whole message, or `null` when it went past `limit` (smtp-server keeps counting). */
async function readMessage(stream: SMTPServerDataStream, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    // Past the limit the rest is drained without being kept.
    if (size + chunk.length <= limit) chunks.push(chunk)
    size += chunk.length
  }
  return stream.sizeExceeded || size > limit ? null : Buffer.concat(chunks)
}

/** Parses the message for the keyword filters; an unparsable message still pings, with no text. */
async function emailFacts(ctx: Ctx, raw: Buffer): Promise<EmailPingFacts> {
  try {
    return await readEmailFacts(raw)
  } catch (e) {
    ctx.log.warn({ err: e }, 'email ping: message could not be parsed; filters see no text')
    return { subject: '', text: '' }
  }
}

/** Records the message as a ping of every recipient; throws the SMTP error to answer, if any. */
async function recordMessage(ctx: Ctx, raw: Buffer, session: SMTPServerSession): Promise<void> {
  const domain = ctx.config.smtpd.pingEmailDomain ?? 'localhost'
  const limit = ctx.config.pingBodyLimit
  const body = limit !== null && raw.length > limit ? raw.subarray(0, limit) : raw
  const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
  const client = {
    remoteAddr: remoteAddress(undefined, session.remoteAddress),
    scheme: 'email',
    method: '',
    ua: truncateChars(`Email from ${mailFrom}`, 200),
    body: body.length > 0 ? body : null,
  }
  const email = await emailFacts(ctx, raw)
  // All at once: pings that arrive together share one commit.
  const results = await Promise.all(
    session.envelope.rcptTo.map(async (rcpt) => {
      const r = parseEmailRecipient(rcpt.address, domain)
      if (r.kind !== 'ping') return null
      const result = await recordPing(ctx, {
        target: 'code' in r.target ? r.target : { ...r.target, create: false },
        action: 'success',
        exitstatus: null,
        rid: null,
        client,
        email,
      })
      if (!result.ok && result.error.kind !== 'database-unavailable')
        // Deleted (or made ambiguous) since RCPT: Healthchecks logs and drops it too.
        ctx.log.info({ to: rcpt.address, error: result.error.kind }, 'email ping not recorded')
      return result
    }),
  )
  if (results.some((r) => r && !r.ok && r.error.kind === 'database-unavailable'))
    throw smtpError(451, '4.3.0 Ping not recorded, try again later')
}

/** Starts the server; resolves once it listens. */
export async function startSmtpd(ctx: Ctx, options: SmtpdOptions): Promise<Smtpd> {
  const { smtpd } = ctx.config
  const domain = smtpd.pingEmailDomain ?? 'localhost'
  const recording = new Set<Promise<void>>()
  const server = new SMTPServer({
    banner: `${ctx.config.siteName} ping-by-email`,
    // No accounts and no certificate here: mail arrives as it does at any MX.
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: smtpd.maxMessageSize,
    maxClients: smtpd.maxConnections,
    closeTimeout: CLOSE_GRACE_MS,
    logger: false,
    onRcptTo(address, session, callback) {
      const r = parseEmailRecipient(address.address, domain)
      if (r.kind === 'other-domain') return callback(smtpError(550, '5.1.1 Recipient rejected'))
      if (r.kind === 'invalid-mailbox') return callback(smtpError(550, '5.1.1 Invalid mailbox'))
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS)
        return callback(smtpError(452, '4.5.3 Too many recipients'))
      findPingTarget(ctx.db, r.target).then(
        (found) => {
          if (found === 'not-found') callback(smtpError(550, '5.1.1 No such check'))
          else if (found === 'ambiguous') callback(smtpError(550, '5.1.1 Ambiguous slug'))
          else callback()
        },
        (e) => {
          ctx.log.warn({ err: e }, 'email ping: recipient lookup failed')
          callback(smtpError(451, '4.3.0 Database unavailable, try again later'))
        },
      )
    },
    onData(stream, session, callback) {
      const work = (async () => {
        const raw = await readMessage(stream, smtpd.maxMessageSize)
        if (raw === null)
          throw smtpError(552, `5.3.4 Message larger than ${smtpd.maxMessageSize} bytes`)
        await recordMessage(ctx, raw, session)
      })()
      recording.add(work)
      work.then(
        () => callback(),
        (e: unknown) => {
          if (!(e instanceof Error && 'responseCode' in e))
            ctx.log.error({ err: e }, 'email ping failed')
          callback(
            e instanceof Error && 'responseCode' in e
              ? e
              : smtpError(451, '4.3.0 Ping not recorded, try again later'),
          )
        },
      )
      work.catch(() => {}).finally(() => recording.delete(work))
    },
  })
  // Connection-level faults (a client resetting its socket) are the client's, not ours.
  server.on('error', (e) => ctx.log.warn({ err: e }, 'SMTP connection error'))
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject)
      resolve()
    })
  })
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Every accepted message's ping is committed before the database may close.
      await Promise.allSettled([...recording])
      await closed
    },
  }
}
