/**
 * Check dependencies as an alert gate (issue 14, healthchecks#316): a child's down flip is held
 * while one of its parents is down (or overdue and about to be flipped), with the reason
 * "parent <name> is down"; when the parent's recovery is processed its held children are released
 * (`releaseHeldChildren`) and decided again at once, so a child still down alerts once, with the
 * reason. A child that comes back up while held never announced its down, so process-flips
 * suppresses its up flip as well. The rule itself is pure (dependency-rule.ts).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/index.js'
import type { AlertGate } from './alert-gates.js'
import { decideDependency, parentDownReason, parentRecoveredReason } from './dependency-rule.js'

/** The check's parents, ordered by name so the reason names the same one each time. */
async function parentsOf(trx: Kysely<Database>, checkId: number) {
  const rows = await trx
    .selectFrom('check_dependencies')
    .innerJoin('checks', 'checks.id', 'check_dependencies.depends_on_id')
    .select(['checks.name', 'checks.code', 'checks.status', 'checks.alert_after'])
    .where('check_dependencies.check_id', '=', checkId)
    .orderBy('checks.name')
    .orderBy('checks.id')
    .execute()
  return rows.map((r) => ({ name: r.name || r.code, status: r.status, alertAfter: r.alert_after }))
}

export const dependencyGate: AlertGate = {
  name: 'dependencies',
  async decide({ trx, flip, now }) {
    if (flip.new_status !== 'down') return { kind: 'alert' }
    return decideDependency(flip.new_status, await parentsOf(trx, flip.check_id), now)
  },
}

/**
 * After a parent's up flip is processed: its children's flips held because of it become due now
 * (the worker's next pass decides them, not the fallback recheck), and their reason says why an
 * alert may now follow. Returns how many were released.
 */
export async function releaseHeldChildren(
  trx: Kysely<Database>,
  parent: { id: number; name: string; code: string },
  now: number,
): Promise<number> {
  const name = parent.name || parent.code
  const children = trx
    .selectFrom('check_dependencies')
    .select('check_id')
    .where('depends_on_id', '=', parent.id)
  const r = await trx
    .updateTable('flips')
    .set({ recheck_at: now, held_reason: parentRecoveredReason(name) })
    .where('processed', 'is', null)
    .where('check_id', 'in', children)
    .where('held_reason', '=', parentDownReason(name))
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
