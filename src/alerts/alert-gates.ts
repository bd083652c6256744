/**
 * Alert gates: the policy between a recorded flip and its notifications. Each gate looks at one
 * claimed flip and its check and says `alert`, `hold` (leave the flip unprocessed until
 * `recheckAt`, when every gate decides again) or `suppress` (process it without notifications).
 * A held or suppressed flip keeps the gate's human reason in `flips.held_reason`; the flip itself
 * is recorded either way, so history, downtime and the API's flips are unchanged.
 *
 * Gates run in order: the first `suppress` ends the decision; otherwise the earliest `hold`
 * wins (a flip held by two gates is looked at again when the first of them may let it go).
 * A gate decides from rows it reads in `trx`, with `now` as a parameter; the rules themselves
 * live in pure functions beside each gate (flap-guard.ts …) so they can be tested as tables.
 *
 * To add a policy: write its gate in its own file and add it to ALERT_GATES below.
 */
import type { Kysely } from 'kysely'
import type { Check, Database, Flip } from '../db/index.js'
import { dependencyGate } from './dependency-gate.js'
import { decideDownFlip, hasFlapProtection } from './flap-guard.js'
import { maintenanceGate } from './maintenance-gate.js'
import { recentRuns } from './recent-runs.js'
import { snoozeGate } from './snooze-gate.js'
import { thresholdGate } from './threshold-gate.js'

export interface GateInput {
  trx: Kysely<Database>
  flip: Flip
  check: Check
  now: number
}

export type GateDecision =
  | { kind: 'alert' }
  | { kind: 'hold'; recheckAt: number; reason: string }
  | { kind: 'suppress'; reason: string }

export interface AlertGate {
  /** Short name, for logs and tests. */
  name: string
  decide(input: GateInput): Promise<GateDecision>
}

const ALERT: GateDecision = { kind: 'alert' }

/** Flapping protection (flap-guard.ts) as a gate: down flips only. */
export const flapGate: AlertGate = {
  name: 'flapping',
  async decide({ trx, flip, check, now }) {
    if (flip.new_status !== 'down' || !hasFlapProtection(check)) return ALERT
    const outcomes = await recentRuns(trx, check.id, Math.max(1, check.alert_failures))
    const d = decideDownFlip(flip, check, outcomes, now)
    if (d.kind === 'alert') return ALERT
    if (d.kind === 'suppress')
      return { kind: 'suppress', reason: 'back up within its flapping protection' }
    const delayRunning = now < flip.created + check.alert_delay * 1000
    const reason = delayRunning
      ? `flapping protection: waiting until it has been down ${check.alert_delay} s`
      : `flapping protection: waiting for ${check.alert_failures} failures in a row`
    return { kind: 'hold', recheckAt: d.recheckAt, reason }
  },
}

/** Every gate, in the order they decide. */
export const ALERT_GATES: readonly AlertGate[] = [
  flapGate,
  thresholdGate,
  dependencyGate,
  snoozeGate,
  maintenanceGate,
]

/** Pure: one decision from the gates' decisions (first suppress, else earliest hold, else alert). */
export function combineDecisions(decisions: readonly GateDecision[]): GateDecision {
  let hold: Extract<GateDecision, { kind: 'hold' }> | null = null
  for (const d of decisions) {
    if (d.kind === 'suppress') return d
    if (d.kind === 'hold' && (hold === null || d.recheckAt < hold.recheckAt)) hold = d
  }
  return hold ?? ALERT
}

/** Runs `gates` in order for one flip; stops at the first suppress. */
export async function decideGates(
  input: GateInput,
  gates: readonly AlertGate[] = ALERT_GATES,
): Promise<GateDecision> {
  const decisions: GateDecision[] = []
  for (const gate of gates) {
    const d = await gate.decide(input)
    if (d.kind === 'suppress') return d
    decisions.push(d)
  }
  return combineDecisions(decisions)
}
