/**
 * Use case: what the "choose checks" form of a channel shows: every check of the project, in
 * creation order, and which of them the channel serves now. Saving goes through updateChannel.
 */
import type { Ctx } from '../context.js'
import type { Check } from '../db/index.js'

export interface ChannelCheckChoices {
  checks: Check[]
  /** Ids of the checks the channel serves. */
  selected: Set<number>
}

export async function channelCheckChoices(
  ctx: Ctx,
  projectId: number,
  channelId: number,
): Promise<ChannelCheckChoices> {
  const k = ctx.db.kysely
  const checks = await k
    .selectFrom('checks')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('id')
    .execute()
  const links = await k
    .selectFrom('check_channels')
    .select('check_id')
    .where('channel_id', '=', channelId)
    .execute()
  return { checks, selected: new Set(links.map((l) => l.check_id)) }
}
