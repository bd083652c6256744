/**
 * Badge states and their three renderings, as Healthchecks' hc/lib/badges.py and the `badge` /
 * `check_badge` views: a state (up/late/down) from the checks' display statuses, the flat SVG of
 * templates/badge.svg with its per-character width table, the JSON tally and the shields.io
 * endpoint JSON. Pure: statuses come in already computed; URLs and signatures are elsewhere.
 */
import type { DisplayStatus } from '../checks/index.js'
import type { BadgeFormat } from '../projects/index.js'

export type BadgeStatus = 'up' | 'late' | 'down'
export type { BadgeFormat }

export const BADGE_FORMATS: readonly BadgeFormat[] = ['svg', 'json', 'shields']

/** What the JSON badge reports. */
export interface BadgeTally {
  status: BadgeStatus
  total: number
  grace: number
  down: number
}

/**
 * The badge of several checks (a tag or all of a project). Any `down` wins; otherwise any `grace`
 * makes it `late` when `withLate` (3-state) is asked for; new, paused and running checks count as
 * up. With `stopAtFirstDown` the counting ends at the first down check, as Healthchecks does for
 * SVG (the image shows only the state, so the counts there are partial by design).
 */
export function tallyBadge(
  statuses: Iterable<DisplayStatus>,
  o: { withLate: boolean; stopAtFirstDown: boolean },
): BadgeTally {
  const t: BadgeTally = { status: 'up', total: 0, grace: 0, down: 0 }
  for (const s of statuses) {
    t.total++
    if (s === 'down') {
      t.down++
      t.status = 'down'
      if (o.stopAtFirstDown) break
    } else if (s === 'grace') {
      t.grace++
      if (t.status === 'up' && o.withLate) t.status = 'late'
    }
  }
  return t
}

/** The badge of one check: `states` 3 shows grace as late, any other number as up. */
export function checkBadgeTally(status: DisplayStatus, states: number): BadgeTally {
  let badge: BadgeStatus = 'up'
  if (status === 'down') badge = 'down'
  else if (status === 'grace' && states === 3) badge = 'late'
  return {
    status: badge,
    total: 1,
    grace: status === 'grace' ? 1 : 0,
    down: status === 'down' ? 1 : 0,
  }
}

// Verdana 11px advance widths, rounded, as hc/lib/badges.py WIDTHS; any other character is 7.
// biome-ignore format: a lookup table reads better in rows
const WIDTHS: Record<string, number> = {
  a: 7, b: 7, c: 6, d: 7, e: 6, f: 4, g: 7, h: 7, i: 3, j: 3, k: 7, l: 3, m: 10, n: 7, o: 7,
  p: 7, q: 7, r: 4, s: 6, t: 5, u: 7, v: 7, w: 9, x: 6, y: 7, z: 7,
  '0': 7, '1': 6, '2': 7, '3': 7, '4': 7, '5': 7, '6': 7, '7': 7, '8': 7, '9': 7,
  A: 8, B: 7, C: 8, D: 8, E: 7, F: 6, G: 9, H: 8, I: 3, J: 4, K: 7, L: 6, M: 10, N: 8, O: 9,
  P: 6, Q: 9, R: 7, S: 7, T: 7, U: 8, V: 8, W: 11, X: 7, Y: 7, Z: 7,
  '-': 4, _: 6,
}

/** Estimated text width in pixels (per code point, as Python iterates a str). */
export function textWidth(s: string): number {
  let total = 0
  for (const c of s) total += WIDTHS[c] ?? 7
  return total
}

const COLORS: Record<BadgeStatus, string> = { up: '#4c1', late: '#fe7d37', down: '#e05d44' }

/** Django's template auto-escaping. */
function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;')
}

/** Python's str() of `n / 2`-style results: always with a fractional part ("35.0", "35.5"). */
function pyFloat(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n)
}

/** The flat two-part badge: grey label, coloured status, 20 px high, 10 px padding each side. */
export function badgeSvg(label: string, status: BadgeStatus): string {
  const w1 = textWidth(label) + 10
  const w2 = textWidth(status) + 10
  const width = String(w1 + w2)
  const tagX = pyFloat(w1 / 2)
  const statusX = pyFloat(w1 + w2 / 2)
  const tag = escapeHtml(label)
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="20">
  <linearGradient id="smooth" x2="0" y2="100%">
    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>
    <stop offset="1" stop-opacity=".1"/>
  </linearGradient>

  <mask id="round">
    <rect width="${width}" height="20" rx="3" fill="#fff"/>
  </mask>

  <g mask="url(#round)">
    <rect width="${w1}" height="20" fill="#555"/>
    <rect x="${w1}" width="${w2}" height="20" fill="${COLORS[status]}"/>
    <rect width="${width}" height="20" fill="url(#smooth)"/>
  </g>

  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">
    <text x="${tagX}" y="15" fill="#010101" fill-opacity=".3">${tag}</text>
    <text x="${tagX}" y="14">${tag}</text>
    <text x="${statusX}" y="15" fill="#010101" fill-opacity=".3">${status}</text>
    <text x="${statusX}" y="14">${status}</text>
  </g>
</svg>
`
}

const SHIELDS_COLORS: Record<BadgeStatus, string> = {
  up: 'success',
  late: 'important',
  down: 'critical',
}

/** The shields.io "endpoint" badge JSON (schemaVersion 1). */
export function shieldsJson(label: string, status: BadgeStatus) {
  return { schemaVersion: 1, label, message: status, color: SHIELDS_COLORS[status] }
}

/** The `.json` badge body, keys in Healthchecks' order. */
export function badgeJson(t: BadgeTally) {
  return { status: t.status, total: t.total, grace: t.grace, down: t.down }
}
