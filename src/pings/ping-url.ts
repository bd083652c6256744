/**
 * The ping URL grammar: which check a `/ping/…` path names, its action and exit status, and the
 * `rid` query value. Pure string work, no lookups. Mirrors Healthchecks' hc/api/urls.py (UUID
 * routes first, then `<ping_key>/<slug>`) and the `invalid url format` / `invalid uuid format` rules.
 */

/**
 * The action a URL asks for before the check's own rules (methods, keyword filters) apply.
 * `progress` is a Vigil extension (issue 15 §2).
 */
export type UrlAction = 'success' | 'start' | 'fail' | 'log' | 'progress'

export type PingTarget = { code: string } | { pingKey: string; slug: string }

export type PingPath =
  | { kind: 'ping'; target: PingTarget; action: UrlAction; exitstatus: number | null }
  /** No route matches: Healthchecks answers its generic 404. */
  | { kind: 'no-route' }
  /** A slug route with uppercase letters in the slug: 400 `invalid url format`. */
  | { kind: 'invalid-slug' }

// Django's uuid converter: canonical and lowercase only, so uppercase or dash-less UUIDs miss.
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// Django's slug converter, used for both the ping key and the slug.
const SLUG_RE = /^[-a-zA-Z0-9_]+$/
const DIGITS_RE = /^[0-9]+$/
const RID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The suffix after a check's address: '' for plain success, `start`/`fail`/`log`/`progress`, or an exit status. */
function suffixAction(suffix: string): { action: UrlAction; exitstatus: number | null } | null {
  if (suffix === 'start' || suffix === 'fail' || suffix === 'log' || suffix === 'progress')
    return { action: suffix, exitstatus: null }
  // Any number of digits matches (Django's int converter); > 255 is rejected later, after the
  // check lookup, because Healthchecks answers 404 before 400 for an unknown check.
  if (DIGITS_RE.test(suffix)) return { action: 'success', exitstatus: Number(suffix) }
  return null
}

/**
 * Parses the part of the path after `/ping/` (already percent-decoded).
 * `/ping/<uuid>`, `/ping/<uuid>/`, `/ping/<uuid>/<suffix>`, `/ping/<key>/<slug>`,
 * `/ping/<key>/<slug>/<suffix>`; `/ping/<uuid>/foo` is the slug route with the uuid as key.
 */
export function parsePingPath(rest: string): PingPath {
  const parts = rest.split('/')
  if (parts.length > 3) return { kind: 'no-route' }
  const [first, second, third] = parts
  if (UUID_RE.test(first) && parts.length <= 2) {
    if (second === undefined || second === '') {
      return { kind: 'ping', target: { code: first }, action: 'success', exitstatus: null }
    }
    const s = suffixAction(second)
    if (s) return { kind: 'ping', target: { code: first }, ...s }
  }
  if (second === undefined || !SLUG_RE.test(first) || !SLUG_RE.test(second))
    return { kind: 'no-route' }
  let s: { action: UrlAction; exitstatus: number | null } | null = {
    action: 'success',
    exitstatus: null,
  }
  // A trailing slash after the slug has no route (unlike the UUID form).
  if (third !== undefined) s = suffixAction(third)
  if (!s) return { kind: 'no-route' }
  // Slugs are lowercase by contract; Healthchecks says so rather than answering "not found".
  if (second !== second.toLowerCase()) return { kind: 'invalid-slug' }
  return { kind: 'ping', target: { pingKey: first, slug: second }, ...s }
}

/** Exit statuses a process can have; larger numbers are `invalid url format`. */
export function isValidExitStatus(exitstatus: number | null): boolean {
  return exitstatus === null || exitstatus <= 255
}

/**
 * The run id from `?rid=`: absent → null, a canonical UUID in any case → lowercase (UUIDs compare
 * by value in Healthchecks), anything else → undefined (400 `invalid uuid format`).
 */
export function parseRid(raw: string | null): string | null | undefined {
  if (raw === null) return null
  return RID_RE.test(raw) ? raw.toLowerCase() : undefined
}
