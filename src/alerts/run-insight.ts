/**
 * The worker step of run insight (issue 15 items 3–5): for the checks that opted into any insight
 * warning (`insight_on`) and have pings the step has not looked at (`n_pings > insight_n`; one
 * partial index holds exactly these checks), it applies src/insight/'s rules to those pings and
 * records a warning row per finding (`queueWarning`). Nothing runs on the ping path; the cost is O(opted-in checks
 * with new pings). Several workers may run it: the conditional update on `insight_n` decides
 * which one records a pass, and the loser's findings are dropped with its transaction.
 */
import { sql } from 'kysely'
import type { Ctx } from '../context.js'
import { type Check, withTransaction } from '../db/index.js'
import {
  detectInsights,
  type InsightPing,
  type InsightSettings,
  parseInsightState,
  type SourceScope,
} from '../insight/index.js'
import { scheduleOf } from '../schedule/index.js'
import { queueWarning } from './warnings.js'

/** Most checks one pass looks at; a full pass is followed by another on the next tick. */
export const INSIGHT_CHECKS_PER_PASS = 100
/** Most new pings of one check one pass looks at; the rest wait for the next pass. */
export const INSIGHT_PINGS_PER_CHECK = 500
/** Pings before the new ones, for pairing starts and finding the current period. */
export const INSIGHT_CONTEXT_PINGS = 100

/** The settings a check row holds. */
export function insightSettingsOf(check: Check): InsightSettings {
  return {
    unusualDuration: check.insight_duration === 1,
    newSourceDays: check.insight_new_source_days,
    sourceScope: check.insight_source_scope as SourceScope,
    twoSources: check.insight_two_sources === 1,
    tooOften: check.insight_too_often === 1,
    schedule: scheduleOf(check),
    tz: check.kind === 'simple' ? 'UTC' : check.tz,
  }
}

/** One pass; returns how many warnings it recorded. */
export async function detectRunInsights(ctx: Ctx, now: number): Promise<number> {
  const due = await ctx.db.kysely
    .selectFrom('checks')
    .selectAll()
    // The partial index's own predicate, literally: a bound parameter would not match it.
    .where(sql<boolean>`insight_on = 1 AND n_pings > insight_n`)
    .orderBy('id')
    .limit(INSIGHT_CHECKS_PER_PASS)
    .execute()
  let recorded = 0
  for (const check of due) recorded += await passOverCheck(ctx, check, now)
  return recorded
}

const PING_COLUMNS = ['n', 'created', 'kind', 'remote_addr', 'rid'] as const

async function passOverCheck(ctx: Ctx, check: Check, now: number): Promise<number> {
  const k = ctx.db.kysely
  const fresh: InsightPing[] = await k
    .selectFrom('pings')
    .select(PING_COLUMNS)
    .where('check_id', '=', check.id)
    .where('n', '>', check.insight_n)
    .orderBy('n')
    .limit(INSIGHT_PINGS_PER_CHECK)
    .execute()
  const earlier: InsightPing[] = (
    await k
      .selectFrom('pings')
      .select(PING_COLUMNS)
      .where('check_id', '=', check.id)
      .where('n', '<=', check.insight_n)
      .orderBy('n', 'desc')
      .limit(INSIGHT_CONTEXT_PINGS)
      .execute()
  ).reverse()
  const r = detectInsights(
    insightSettingsOf(check),
    parseInsightState(check.insight_state),
    earlier,
    fresh,
  )
  // Pings pruned before this pass saw them are skipped: up to n_pings when none are left.
  const upTo = fresh.length === INSIGHT_PINGS_PER_CHECK ? fresh[fresh.length - 1].n : check.n_pings
  return withTransaction(ctx, async (_t, trx) => {
    const claimed = await trx
      .updateTable('checks')
      .set({ insight_n: upTo, insight_state: JSON.stringify(r.state) })
      .where('id', '=', check.id)
      .where('insight_n', '=', check.insight_n)
      .returning('id')
      .executeTakeFirst()
    if (!claimed) return 0 // Another worker made this pass.
    for (const f of r.findings) {
      await queueWarning(trx, { checkId: check.id, kind: f.kind, detail: f.detail }, now)
    }
    return r.findings.length
  })
}
