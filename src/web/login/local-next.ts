/**
 * Where to go after a log-in (`/login?next=…`): only a path on this site, so the parameter can
 * never send anyone elsewhere (open redirect). Carried through the second step in a short cookie.
 */

/** The cookie that keeps `next` while the second step is pending (path /login, like the pending one). */
export const NEXT_COOKIE = 'vigil_next'

/** Longest `next` kept; a confirmation link with its token is far shorter. */
const MAX_NEXT_LENGTH = 2000

/**
 * `value` when it is a local absolute path: one leading `/`, not `//` or `/\` (which browsers
 * read as another host), no control characters or backslashes, no scheme. Otherwise null.
 */
export function localNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NEXT_LENGTH) return null
  if (!value.startsWith('/') || value.startsWith('//')) return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null
  // The URL parser must agree that it stays on this origin.
  const base = 'http://vigil.invalid'
  try {
    const url = new URL(value, base)
    if (url.origin !== base) return null
    return url.pathname + url.search + url.hash
  } catch {
    return null
  }
}
