/**
 * Loads what the message renderers of the chat and paging kinds need about one notification:
 * the project's name, the last ping before the flip, and (for the kinds that list them, as
 * Healthchecks' Transport.down_checks) the project's other checks that are down.
 */
import { otherDownChecks } from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { AlertStatus, DeliveryInput } from './integration.js'
import { findLastPing } from './last-ping.js'
import type { AlertMessageInput } from './message-facts.js'
import { loadWarningFacts } from './warning-facts.js'

/** Other down checks listed at most (Healthchecks' templates show 10 and "and N more"). */
const DOWN_CHECKS_LOADED = 11

export async function loadAlertInput(
  ctx: Ctx,
  { check, flip, notification }: DeliveryInput,
  options: { downChecks?: boolean } = {},
): Promise<AlertMessageInput> {
  const k = ctx.db.kysely
  const project = await k
    .selectFrom('projects')
    .select('name')
    .where('id', '=', check.project_id)
    .executeTakeFirst()
  let downChecks: AlertMessageInput['downChecks'] = null
  if (options.downChecks) {
    const down = await otherDownChecks(k, check, DOWN_CHECKS_LOADED)
    if (down) downChecks = { names: down.rows.map((c) => c.name || c.code), total: down.total }
  }
  const status: AlertStatus = notification.check_status === 'up' ? 'up' : 'down'
  return {
    check,
    projectName: project?.name ?? '',
    status,
    flip,
    lastPing: await findLastPing(ctx, check.id, flip?.created ?? null),
    siteRoot: ctx.config.siteRoot,
    siteName: ctx.config.siteName,
    downChecks,
    warning: await loadWarningFacts(ctx, notification),
  }
}
