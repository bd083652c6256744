/**
 * Signed badge URLs, byte-compatible with Healthchecks (hc/lib/badges.py): the signature is the
 * first 8 characters of Django's `base64_hmac(badge_key, tag, SECRET_KEY)` (url-safe base64,
 * no padding, of HMAC-SHA1 keyed with SHA1(badge_key + SECRET_KEY) over the tag). A `-2` suffix
 * selects the 2-state badge (late shows as up). Not here: rendering the badges themselves.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/** The 8-character signature of `tag` for a project's badge key. */
export function badgeSignature(badgeKey: string, tag: string, secretKey: string): string {
  const key = createHash('sha1')
    .update(badgeKey + secretKey, 'utf8')
    .digest()
  return createHmac('sha1', key).update(tag, 'utf8').digest('base64url').slice(0, 8)
}

/** Whether `signature` (only its first 8 characters count, as in Healthchecks) signs `tag`. */
export function isValidBadgeSignature(
  badgeKey: string,
  tag: string,
  signature: string,
  secretKey: string,
): boolean {
  const ours = Buffer.from(badgeSignature(badgeKey, tag, secretKey))
  const theirs = Buffer.from(signature.slice(0, 8))
  return ours.length === theirs.length && timingSafeEqual(ours, theirs)
}

/** Python's `urllib.parse.quote(value, safe="")`: only A-Z a-z 0-9 _ . - ~ stay as they are. */
function pyQuote(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

export type BadgeFormat = 'svg' | 'json' | 'shields'

/**
 * A badge URL as Healthchecks' get_badge_url builds it: `/badge/<key>/<sig>/<tag>.<fmt>`, or
 * `/badge/<key>/<sig>.<fmt>` for `*` (all checks). `withLate` false gives the 2-state badge.
 */
export function badgeUrl(
  o: { siteRoot: string; secretKey: string },
  badgeKey: string,
  tag: string,
  fmt: BadgeFormat,
  withLate: boolean,
): string {
  let sig = badgeSignature(badgeKey, tag, o.secretKey)
  if (!withLate) sig += '-2'
  const tail = tag === '*' ? `${sig}.${fmt}` : `${sig}/${pyQuote(tag)}.${fmt}`
  return `${o.siteRoot}/badge/${badgeKey}/${tail}`
}

/** The six URLs the API's `GET /badges/` lists for one tag. */
export function badgeUrls(
  o: { siteRoot: string; secretKey: string },
  badgeKey: string,
  tag: string,
): Record<string, string> {
  return {
    svg: badgeUrl(o, badgeKey, tag, 'svg', false),
    svg3: badgeUrl(o, badgeKey, tag, 'svg', true),
    json: badgeUrl(o, badgeKey, tag, 'json', false),
    json3: badgeUrl(o, badgeKey, tag, 'json', true),
    shields: badgeUrl(o, badgeKey, tag, 'shields', false),
    shields3: badgeUrl(o, badgeKey, tag, 'shields', true),
  }
}
