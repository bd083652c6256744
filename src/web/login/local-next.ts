/**
 * Where to go after a log-in (`/login?next=…`), a confirmation or a form: only a path on this
 * site, so no user-supplied target can ever send anyone elsewhere (open redirect). Every redirect
 * to a target that came from a request goes through `localNext` (or `sameSitePath` for a full URL
 * such as a Referer). `next` is carried through the second step in a short cookie.
 */

/** The cookie that keeps `next` while the second step is pending (path /login, like the pending one). */
export const NEXT_COOKIE = 'vigil_next'

/** Longest `next` kept; a confirmation link with its token is far shorter. */
const MAX_NEXT_LENGTH = 2000

/** A stand-in origin: only the path of the result is used, so the real site root does not matter. */
const BASE = 'http://vigil.invalid'

/**
 * `value` normalised, when it is a local absolute path; otherwise null. The value is resolved by
 * the WHATWG URL parser (what browsers do with a Location), which removes dot segments, including
 * percent-encoded ones (`/%2e//evil` → `//evil`), so the checks run on the *result*: it must stay
 * on this origin and must not start with `//` or `/\` (a browser reads those as another host),
 * neither as written nor once percent-decoded. Backslashes and control characters (tab, newline,
 * which browsers strip) are refused outright.
 */
export function localNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NEXT_LENGTH) return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null
  if (!isLocalPath(value)) return null
  let url: URL
  try {
    url = new URL(value, BASE)
  } catch {
    return null
  }
  if (url.origin !== BASE) return null
  const result = url.pathname + url.search + url.hash
  return isLocalPath(result) && isLocalPath(decodedPath(url.pathname)) ? result : null
}

/**
 * The path (with query) of `absolute` when it is a URL on the site at `siteRoot` (a same-site
 * Referer), checked as `localNext`; otherwise null.
 */
export function sameSitePath(absolute: string | undefined, siteRoot: string): string | null {
  if (!absolute) return null
  try {
    const url = new URL(absolute)
    if (url.origin !== new URL(siteRoot).origin) return null
    return localNext(url.pathname + url.search)
  } catch {
    return null
  }
}

/** One leading `/`, and not `//` or `/\` (both name another host to a browser). */
function isLocalPath(path: string): boolean {
  return path.startsWith('/') && path[1] !== '/' && path[1] !== '\\'
}

/** The path percent-decoded (`%2F`, `%5C`); a malformed escape leaves it as is. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}
