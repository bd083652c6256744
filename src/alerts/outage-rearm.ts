/**
 * Pure: what happens to a check's deadline after Vigil's own outage (issue 12, item 6). A
 * deadline that passed while no worker was running (or the database was down) is not acted on
 * the moment the worker returns: the check gets its grace again from the recovery time, so the
 * jobs' pings that arrive meanwhile count and a healthy fleet does not page everyone at once.
 * Healthchecks has no equivalent (healthchecks#664). No clock reads: `now` is a parameter.
 */

/** A gap in every worker's heartbeat: `started` = last heartbeat, `ended` = recovery. */
export interface Outage {
  started: number
  ended: number
}

/** The fields of a check the rule reads (grace in seconds, as stored). */
export interface RearmCheck {
  status: string
  alert_after: number | null
  grace: number
}

/** Whether a heartbeat gap from `lastSeen` to `now` is an outage; threshold 0 = never. */
export function isOutage(lastSeen: number | null, now: number, thresholdMs: number): boolean {
  return thresholdMs > 0 && lastSeen !== null && now - lastSeen >= thresholdMs
}

/**
 * The check's new `alert_after`, or null to leave it alone. Re-armed: a check not already down
 * whose deadline fell inside the outage, i.e. after the last heartbeat (a deadline before it was
 * the running worker's to handle) and at or before the recovery, and has passed by `now`. The
 * new deadline is the recovery plus the check's grace.
 */
export function rearmedAlertAfter(check: RearmCheck, outage: Outage, now: number): number | null {
  if (check.status === 'down' || check.alert_after === null) return null
  if (check.alert_after <= outage.started || check.alert_after > outage.ended) return null
  if (check.alert_after > now) return null
  return outage.ended + check.grace * 1000
}
