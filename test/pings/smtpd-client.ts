/**
 * A bare SMTP client for the ping-by-email tests: sends one command at a time and returns the
 * server's reply, so a test can assert the exact code of every step (nodemailer hides them).
 */
import net from 'node:net'

export interface SmtpDialog {
  /** The greeting (220, or 421 when the server is full). */
  greeting: string
  /** Sends a line and waits for the (possibly multi-line) reply. */
  send(line: string): Promise<string>
  /** Sends a message body after DATA's 354, dot-stuffed, and waits for the final reply. */
  data(message: string): Promise<string>
  close(): void
}

export async function openSmtpDialog(port: number): Promise<SmtpDialog> {
  const socket = net.connect(port, '127.0.0.1')
  let buffer = ''
  let waiting: ((reply: string) => void) | null = null
  const replies: string[] = []
  const deliver = () => {
    // A reply ends with a line "NNN text" (a space after the code, not a dash).
    const m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buffer)
    if (!m) return
    const end = m.index + m[0].length
    const reply = buffer.slice(0, end).trim()
    buffer = buffer.slice(end)
    if (waiting) {
      const w = waiting
      waiting = null
      w(reply)
    } else replies.push(reply)
    deliver()
  }
  socket.on('data', (d) => {
    buffer += d.toString('utf8')
    deliver()
  })
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const queued = replies.shift()
      if (queued !== undefined) return resolve(queued)
      waiting = resolve
      socket.once('close', () => reject(new Error(`connection closed; unread: ${buffer}`)))
    })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  const greeting = await next()
  return {
    greeting,
    async send(line) {
      socket.write(`${line}\r\n`)
      return next()
    },
    async data(message) {
      const stuffed = message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')
      socket.write(`${stuffed}\r\n.\r\n`)
      return next()
    },
    close() {
      socket.destroy()
    },
  }
}
