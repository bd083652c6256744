/**
 * Pure: webhook placeholder substitution exactly as Healthchecks' Webhook.prepare and
 * hc.lib.string.replace: one pass, the template split on `$`, each piece matched by prefix
 * against a fixed list (CODE, STATUS, NOW, NAME_JSON, NAME, SLUG, TAGS, JSON, BODY_JSON, BODY,
 * EXITSTATUS, TAG1…n, and Vigil's CHECKS, WARNING, DETAIL_JSON, DETAIL), so values containing `$`
 * are never expanded again. Vigil adds `$REASON`: why a check went down, in words (empty for up),
 * as the other channels' messages say it.
 */

/** Everything a template can refer to, already computed by the caller. */
export interface TemplateValues {
  code: string
  status: string
  /** Flip time, ISO 8601 without fractional seconds (`2026-01-15T12:00:00+00:00`). */
  now: string
  name: string
  slug: string
  tags: string
  /** The check as API v3 JSON, serialised the Python way (see pythonJsonDumps). */
  json: string
  /** Vigil: why the check went down in words ('' for up or no recorded reason). */
  reason?: string
  /** Last ping before the flip, or null when there is none. */
  lastPing: { body: string | null; exitstatus: number | null } | null
  /** `$CHECKS` (Vigil): the checks of a grouped message as a JSON array, one for a single alert. */
  checks?: string
  /** Vigil: the warning's kind ('late', …) and text; '' for up/down notifications. */
  warning?: string
  detail?: string
}

/** Where the result goes: URL values are percent-encoded, headers latin-1 safe, bodies raw. */
export type TemplateTarget = 'url' | 'header' | 'body'

/** Python's urllib.parse.quote(s) with its default safe="/". */
export function pythonQuote(s: string): string {
  const wellFormed = s.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  )
  return encodeURIComponent(wellFormed)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/')
}

/** Python's json.dumps string literal: ensure_ascii, so non-ASCII becomes \uXXXX. */
function pythonJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** Python's json.dumps(value) with default separators (", " and ": ") and ensure_ascii. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return pythonJsonString(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NaN'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  )
  return `{${entries.map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`
}

/** Non-latin-1 characters as XML character references, as Python's "xmlcharrefreplace". */
function latin1Safe(s: string): string {
  let out = ''
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    out += cp > 0xff ? `&#${cp};` : ch
  }
  return out
}

/** Healthchecks' replace(): single pass, first matching placeholder by prefix wins. */
export function replacePlaceholders(
  template: string,
  placeholders: ReadonlyArray<readonly [string, string]>,
): string {
  const [first, ...rest] = template.split('$')
  let result = first
  for (const piece of rest) {
    let part = `$${piece}`
    for (const [placeholder, value] of placeholders) {
      if (part.startsWith(placeholder)) {
        part = value + part.slice(placeholder.length)
        break
      }
    }
    result += part
  }
  return result
}

/** Tags split on spaces, empty ones dropped (Check.tags_list). */
function tagList(tags: string): string[] {
  return tags
    .split(' ')
    .filter((t) => t.trim() !== '')
    .map((t) => t.trim())
}

/** Substitutes the placeholders of one template (URL, a header value or the body). */
export function renderWebhookTemplate(
  template: string,
  v: TemplateValues,
  target: TemplateTarget,
): string {
  const safe = (s: string) => (target === 'url' ? pythonQuote(s) : s)
  const ctx: [string, string][] = [
    ['$CODE', v.code],
    ['$STATUS', v.status],
    ['$NOW', safe(v.now)],
    ['$NAME_JSON', safe(pythonJsonString(v.name))],
    ['$NAME', safe(v.name)],
    ['$SLUG', v.slug],
    ['$TAGS', safe(v.tags)],
    ['$JSON', safe(v.json)],
    ['$REASON', safe(v.reason ?? '')],
    ['$WARNING', v.warning ?? ''],
    ['$DETAIL_JSON', safe(pythonJsonString(v.detail ?? ''))],
    ['$DETAIL', safe(v.detail ?? '')],
  ]
  if (v.checks !== undefined) ctx.push(['$CHECKS', safe(v.checks)])
  // The ping body may only go into the request body; elsewhere $BODY stays as typed.
  if (target === 'body' && template.includes('$BODY')) {
    const body = v.lastPing?.body || ''
    ctx.push(['$BODY_JSON', pythonJsonString(body)], ['$BODY', body])
  }
  if (template.includes('$EXITSTATUS')) {
    const exit = v.lastPing?.exitstatus
    ctx.push(['$EXITSTATUS', exit === null || exit === undefined ? '-1' : String(exit)])
  }
  tagList(v.tags).forEach((tag, i) => {
    ctx.push([`$TAG${i + 1}`, safe(tag)])
  })
  const result = replacePlaceholders(template, ctx)
  return target === 'header' ? latin1Safe(result) : result
}

/** True when any template refers to the last ping (so the caller loads it only then). */
export function needsLastPing(templates: string[]): boolean {
  return templates.some((t) => t.includes('$BODY') || t.includes('$EXITSTATUS'))
}
