/**
 * Pure: what Healthchecks' `bounces` view reads from a raw bounce mail: the local part of `To`
 * (the signed bounce id) and the first header block with both `Status` and `Action` (a DSN
 * per-recipient block, RFC 3464), its `Diagnostic-Code` without a leading `smtp; `. Status 5.x.x
 * is permanent and 4.x.x transient, except 5.4.4 (no route, often DNS trouble): transient.
 */

export interface BounceReport {
  /** The `To` address's text before the first `@` ('' without a To header). */
  toLocal: string
  /** The DSN Status, e.g. `5.1.1`; '' when the mail has none. */
  status: string
  diagnostic: string
}

export type BounceKind = 'permanent' | 'transient' | 'other'

/** Header lines of one block (continuation lines unfolded), or null if the block is not headers. */
function headerBlock(lines: string[]): Map<string, string> | null {
  const fields = new Map<string, string>()
  let last: string | null = null
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last !== null) {
      fields.set(last, `${fields.get(last)}${line}`)
      continue
    }
    const m = /^([!-9;-~]+):[ \t]*(.*)$/.exec(line)
    if (!m) return null
    last = m[1].toLowerCase()
    // The first occurrence wins, as Python's Message.__getitem__.
    if (!fields.has(last)) fields.set(last, m[2])
    else last = null
  }
  return fields
}

/** The mail cut into runs of lines between blank lines and MIME boundary lines. */
function blocksOf(raw: string): string[][] {
  const blocks: string[][] = [[]]
  for (const line of raw.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '' || /^--\S*$/.test(line)) {
      if (blocks[blocks.length - 1].length > 0) blocks.push([])
    } else blocks[blocks.length - 1].push(line)
  }
  return blocks
}

export function readBounceReport(raw: string): BounceReport {
  const blocks = blocksOf(raw)
  const top = headerBlock(blocks[0]) ?? new Map<string, string>()
  // `To: <id@host>` and `To: "Name" <id@host>` too: the address in angle brackets.
  const to = (top.get('to') ?? '').trim()
  const toLocal = (/<([^<>]*)>\s*$/.exec(to)?.[1] ?? to).trim().split('@')[0]
  for (const block of blocks) {
    const fields = headerBlock(block)
    if (!fields?.has('status') || !fields.has('action')) continue
    let diagnostic = (fields.get('diagnostic-code') ?? '').trim()
    if (diagnostic.toLowerCase().startsWith('smtp; ')) diagnostic = diagnostic.slice(6)
    return { toLocal, status: (fields.get('status') ?? '').trim(), diagnostic }
  }
  return { toLocal, status: '', diagnostic: '' }
}

export function bounceKind(status: string): BounceKind {
  if (status === '5.4.4') return 'transient'
  if (status.startsWith('5.')) return 'permanent'
  if (status.startsWith('4.')) return 'transient'
  return 'other'
}
