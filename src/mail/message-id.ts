/**
 * MAIL-7: every mail's `Message-ID` takes its domain from DEFAULT_FROM_EMAIL, also when the
 * envelope sender is a bounce address (nodemailer would otherwise use the envelope's domain).
 */
import { randomUUID } from 'node:crypto'

/** `<random@domain-of-DEFAULT_FROM_EMAIL>`; `Name <a@b>` forms are accepted too. */
export function newMessageId(defaultFromEmail: string): string {
  const address = /<([^<>]+)>/.exec(defaultFromEmail)?.[1] ?? defaultFromEmail
  const domain = address.slice(address.lastIndexOf('@') + 1).trim() || 'localhost'
  return `<${randomUUID()}@${domain}>`
}
