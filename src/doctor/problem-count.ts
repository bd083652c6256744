/**
 * How many `error`/`fatal` findings the instance has, for the superuser banner (DOC-3). Computed
 * without network probes (stored probe results are counted) at most once a minute per process and
 * kept in memory; a cache only, the findings themselves always come from the database and config.
 */
import type { Ctx } from '../context.js'
import { type Finding, isProblem, runDoctor } from './findings.js'
import { lastNetworkResult } from './network-checks.js'

/** How long a computed count is reused. */
export const PROBLEM_COUNT_TTL_MS = 60_000

const cache = new WeakMap<object, { count: number; at: number }>()

/** The findings without probing: config, database state, stored traffic and probe results. */
export async function currentFindings(
  ctx: Ctx,
): Promise<{ findings: Finding[]; networkAt: number | null }> {
  const findings = await runDoctor(ctx, { network: false })
  const network = await lastNetworkResult(ctx)
  if (network) findings.push(...network.findings)
  rememberProblemCount(ctx, findings)
  return { findings, networkAt: network?.at ?? null }
}

/** Stores the count of these findings as the current one (after a page view or a re-run). */
export function rememberProblemCount(ctx: Ctx, findings: Finding[]): void {
  cache.set(ctx.db, { count: findings.filter(isProblem).length, at: ctx.clock.now() })
}

/** The cached count, recomputed when older than the TTL; a failing database counts as 1 problem. */
export async function problemCount(ctx: Ctx): Promise<number> {
  const hit = cache.get(ctx.db)
  const now = ctx.clock.now()
  if (hit && now - hit.at >= 0 && now - hit.at < PROBLEM_COUNT_TTL_MS) return hit.count
  try {
    await currentFindings(ctx)
  } catch {
    cache.set(ctx.db, { count: 1, at: now })
  }
  return cache.get(ctx.db)?.count ?? 0
}
