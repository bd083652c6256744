/**
 * What the keyword filters read in an email ping: the decoded Subject, and the plain-text part
 * plus the HTML part turned into text (Healthchecks' smtpd: subject + text + html2text). MIME
 * decoding (multipart, quoted-printable, base64, charsets) is mailparser's; the HTML-to-text step
 * is a small pure function here, since the keywords need words, not layout.
 */
import { simpleParser } from 'mailparser'
import type { EmailPingFacts } from './ping-action.js'

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
}

/** The text of an HTML document: scripts and styles dropped, tags as spaces, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1))
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
      }
      return ENTITIES[name.toLowerCase()] ?? whole
    })
    .replace(/[ \t\r\f\v]+/g, ' ')
    .trim()
}

/** Parses a raw message into the subject and text the filters match against. */
export async function readEmailFacts(raw: Buffer): Promise<EmailPingFacts> {
  const parsed = await simpleParser(raw, {
    // Only the parts as sent: the HTML part is converted below, links and images do not matter.
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  })
  const parts: string[] = []
  if (parsed.text) parts.push(parsed.text)
  if (typeof parsed.html === 'string') parts.push(htmlToText(parsed.html))
  return { subject: parsed.subject ?? '', text: parts.join('\n') }
}
