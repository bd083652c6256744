/**
 * The warning a notification announces (notifications.warning_id, check_status 'warning'), as
 * messages show it. Every kind renders warnings through message-facts.ts (statusWord,
 * reasonText); email, webhook and the Slack-like kinds add their own touches.
 */
import type { Ctx } from '../context.js'
import type { Notification } from '../db/index.js'
import type { WarningFacts } from './message-facts.js'

/** check_status of a notification made from a warning. */
export const WARNING_STATUS = 'warning'

/** "LATE" for the warning stage, "WARNING" for the other kinds. */
export function warningWord(kind: string): string {
  return kind === 'late' ? 'LATE' : 'WARNING'
}

/** The notification's warning, or null for a flip's (or a test) notification. */
export async function loadWarningFacts(
  ctx: Ctx,
  notification: Pick<Notification, 'check_status' | 'warning_id'>,
): Promise<WarningFacts | null> {
  if (notification.check_status !== WARNING_STATUS || notification.warning_id === null) return null
  const row = await ctx.db.kysely
    .selectFrom('warnings')
    .select(['kind', 'detail'])
    .where('id', '=', notification.warning_id)
    .executeTakeFirst()
  // Deleted with its check: the delivery fails on the missing check before this matters.
  const kind = row?.kind ?? 'late'
  return { kind, detail: row?.detail ?? '', word: warningWord(kind) }
}
