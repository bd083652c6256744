/**
 * The failure and recovery thresholds (fail-threshold.ts) as one alert gate: a failure-caused
 * down flip waits for K failures among the last N runs, an up flip after an announced down waits
 * for M successes in a row, and a down flip while the last announcement is still "down" (its
 * recovery was held back) is suppressed.
 */
import type { Kysely } from 'kysely'
import type { Database, Flip, StoredStatus } from '../db/index.js'
import type { AlertGate, GateDecision } from './alert-gates.js'
import {
  decideThresholdDown,
  decideThresholdUp,
  hasFailThreshold,
  hasRecoveryThreshold,
  isUnannouncedRelapse,
  STILL_DOWN_REASON,
} from './fail-threshold.js'
import { recentRuns } from './recent-runs.js'

const ALERT: GateDecision = { kind: 'alert' }

/** The new status of the newest earlier flip that was notified (processed, not suppressed). */
async function lastAnnounced(trx: Kysely<Database>, flip: Flip): Promise<StoredStatus | null> {
  const row = await trx
    .selectFrom('flips')
    .select('new_status')
    .where('check_id', '=', flip.check_id)
    .where('id', '<', flip.id)
    .where('processed', 'is not', null)
    .where('suppressed', '=', 0)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.new_status ?? null
}

export const thresholdGate: AlertGate = {
  name: 'thresholds',
  async decide({ trx, flip, check, now }) {
    if (flip.new_status === 'down') {
      if (
        hasRecoveryThreshold(check) &&
        isUnannouncedRelapse(check, await lastAnnounced(trx, flip))
      )
        return { kind: 'suppress', reason: STILL_DOWN_REASON }
      if (!hasFailThreshold(check) || flip.reason !== 'fail') return ALERT
      const d = decideThresholdDown(
        flip,
        check,
        await recentRuns(trx, check.id, check.fail_window),
        now,
      )
      if (d.kind === 'alert') return ALERT
      if (d.kind === 'suppress')
        return { kind: 'suppress', reason: 'back up within its failure threshold' }
      const reason = `failure threshold: waiting for ${check.fail_threshold} failures in the last ${check.fail_window} runs`
      return { kind: 'hold', recheckAt: d.recheckAt, reason }
    }
    if (flip.new_status !== 'up' || !hasRecoveryThreshold(check)) return ALERT
    const runs = await recentRuns(trx, check.id, check.recover_successes)
    const d = decideThresholdUp(check, runs, await lastAnnounced(trx, flip), now)
    if (d.kind === 'alert') return ALERT
    if (d.kind === 'suppress')
      return { kind: 'suppress', reason: 'failed again before its recovery threshold' }
    const reason = `recovery threshold: waiting for ${check.recover_successes} successes in a row`
    return { kind: 'hold', recheckAt: d.recheckAt, reason }
  },
}
