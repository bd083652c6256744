/**
 * An SMTP server for tests: smtp-server on 127.0.0.1 (random port), every accepted message parsed
 * with mailparser and kept. It can be told to reject recipients (e.g. 550 or 451) or to go down,
 * so tests see what a real server would do. STARTTLS is off: use EMAIL_USE_TLS=False with it.
 */
import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  envelopeFrom: string
  envelopeTo: string[]
  parsed: ParsedMail
  subject: string
  text: string
  html: string
  to: string
  from: string
  headers: Map<string, unknown>
}

export interface SmtpSink {
  port: number
  messages: ReceivedMail[]
  /** Environment for createTestContext: EMAIL_HOST/PORT pointing here, no TLS, short timeout. */
  env: Record<string, string>
  /** Answer RCPT TO with this code and message until told otherwise (null = accept). */
  reject(code: number | null, message?: string): void
  /** Answer RCPT TO for this one address with `code` (e.g. 550), accepting every other one. */
  refuseRecipient(address: string, code?: number): void
  /** Resolves when `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>
  close(): Promise<void>
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = []
  let rejection: { code: number; message: string } | null = null
  const refused = new Map<string, number>()
  const waiters: (() => void)[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusedCode = refused.get(address.address.toLowerCase())
      if (rejection || refusedCode !== undefined) {
        const e = new Error(rejection?.message ?? 'No such user here') as Error & {
          responseCode: number
        }
        e.responseCode = rejection?.code ?? (refusedCode as number)
        return callback(e)
      }
      callback()
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = parsed.to
            ? Array.isArray(parsed.to)
              ? parsed.to.map((a) => a.text).join(', ')
              : parsed.to.text
            : ''
          messages.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            parsed,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            to,
            from: parsed.from?.text ?? '',
            headers: parsed.headers as Map<string, unknown>,
          })
          for (const w of waiters.splice(0)) w()
          callback()
        })
        .catch((e) => callback(e))
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    messages,
    env: {
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(port),
      EMAIL_USE_TLS: 'False',
      EMAIL_TIMEOUT: '2',
    },
    reject(code, message = 'Rejected by test') {
      rejection = code === null ? null : { code, message }
    },
    refuseRecipient(address, code = 550) {
      refused.set(address.toLowerCase(), code)
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (messages.length < count) {
        const left = deadline - Date.now()
        if (left <= 0)
          throw new Error(`SMTP sink: expected ${count} messages, got ${messages.length}`)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left)
          waiters.push(() => {
            clearTimeout(t)
            resolve()
          })
        })
      }
      return messages
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * A loopback port with nothing listening. Taken below the kernel's ephemeral range (32768+), so a
 * server that another test process starts on port 0 can never be handed it meanwhile (a port
 * bound and released was, once, reused by a parallel test's SMTP sink); checked by connecting.
 */
export async function closedPort(): Promise<number> {
  const { connect } = await import('node:net')
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(false)
      })
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'))
    })
    if (refused) return port
  }
}
