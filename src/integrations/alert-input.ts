/**
 * Loads what the message renderers of the chat and paging kinds need about one notification:
 * the project's name, the last ping before the flip, and (for the kinds that list them, as
 * Healthchecks' Transport.down_checks) the project's other checks that are down.
 */
import type { Ctx } from '../context.js'
import type { AlertStatus, DeliveryInput } from './integration.js'
import { findLastPing } from './last-ping.js'
import type { AlertMessageInput } from './message-facts.js'

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
    const siblings = await k
      .selectFrom('checks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', check.project_id)
      .where('id', '<>', check.id)
      .executeTakeFirst()
    if (Number(siblings?.n ?? 0) > 0) {
      const down = await k
        .selectFrom('checks')
        .select(['name', 'code'])
        .where('project_id', '=', check.project_id)
        .where('id', '<>', check.id)
        .where('status', '=', 'down')
        .orderBy('name')
        .orderBy('code')
        .limit(DOWN_CHECKS_LOADED)
        .execute()
      const total = await k
        .selectFrom('checks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', check.project_id)
        .where('id', '<>', check.id)
        .where('status', '=', 'down')
        .executeTakeFirst()
      downChecks = { names: down.map((c) => c.name || c.code), total: Number(total?.n ?? 0) }
    }
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
  }
}
