/**
 * Pure: when a mail that failed is tried again, and when the sender gives up. Ten attempts over
 * about 85 minutes ride out an SMTP server restart or a short outage without flooding it.
 */

/** Attempts before a mail is marked failed. */
export const MAIL_MAX_ATTEMPTS = 10
/** A claim older than this belongs to a worker that died; another worker may take the mail. */
export const MAIL_LEASE_MS = 5 * 60_000

/** Delay after the n-th failed attempt (n ≥ 1): 10 s doubling, at most an hour. */
export function mailRetryDelayMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000)
}
