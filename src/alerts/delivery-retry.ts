/**
 * Pure: when a notification that failed is tried again, and when the worker gives up.
 * Healthchecks tries an HTTP delivery 3 times within 15 s and then drops it; Vigil keeps the job
 * in the database and spreads 8 attempts over about 21 minutes, so a service restart is survived.
 */

/** Attempts before a notification is marked failed. */
export const NOTIFY_MAX_ATTEMPTS = 8
/** A claim older than this belongs to a worker that died; another worker may take it over. */
export const NOTIFY_LEASE_MS = 5 * 60_000

/** Delay after the n-th failed attempt (n ≥ 1): 10 s, 20 s, 40 s … doubling, at most an hour. */
export function notifyRetryDelayMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000)
}

/** The notification's `error` column holds at most 200 characters (Healthchecks' max_length). */
export function cutError(message: string): string {
  return message.length > 200 ? `${message.slice(0, 199)}…` : message
}
