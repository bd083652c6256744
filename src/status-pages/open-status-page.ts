/**
 * Opening a status page from its public URL: the page of a slug, and for a private page the
 * access token from the URL, compared in constant time through its SHA-256 (the stored form).
 * An unknown slug and a wrong or missing token answer alike (not found), so private slugs cannot
 * be told from free ones; such misses are counted per client address in a database token bucket,
 * and past the limit the answer is "rate-limited" until the bucket refills.
 */
import type { Ctx } from '../context.js'
import type { StatusPage } from '../db/index.js'
import { type BucketRule, takeBucketToken } from '../ratelimit/index.js'
import { err, ok, type Result } from '../result.js'
import { safeEqual, sha256Hex } from '../tokens.js'
import { findStatusPageBySlug } from './queries.js'

/** 30 misses a minute per address. */
export const MISS_RULE: BucketRule = { capacity: 30, refillMs: 60_000 }

export type OpenStatusPageError =
  | { kind: 'status-page-not-found' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }

/** True when `token` opens `page` (always for a public page). */
export function tokenOpens(page: StatusPage, token: string): boolean {
  if (page.token_hash === null) return true
  return safeEqual(sha256Hex(token), page.token_hash)
}

/**
 * The page for `slug` and `token`; `lookup` finds the page (the edge passes a cached lookup).
 */
export async function openStatusPage(
  ctx: Ctx,
  input: {
    slug: string
    token: string
    ip: string
    lookup?: (slug: string) => Promise<StatusPage | null>
  },
): Promise<Result<StatusPage, OpenStatusPageError>> {
  const lookup = input.lookup ?? ((slug: string) => findStatusPageBySlug(ctx.db.kysely, slug))
  const page = input.slug.length <= 64 ? await lookup(input.slug) : null
  if (page && tokenOpens(page, input.token)) return ok(page)
  const verdict = await takeBucketToken(
    ctx.db,
    `status-miss:${input.ip}`,
    MISS_RULE,
    ctx.clock.now(),
  )
  if (!verdict.allowed)
    return err({ kind: 'rate-limited', retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) })
  return err({ kind: 'status-page-not-found' })
}
