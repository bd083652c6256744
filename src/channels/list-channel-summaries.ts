/**
 * Use case: a project's channels as its integrations page lists them: in creation order, each with the
 * number of checks it serves, its last delivery (time, duration, error) and the state of its
 * latest test notification. Three queries for the whole list.
 */
import type { Ctx } from '../context.js'
import type { Channel, NotificationStatus, Project } from '../db/index.js'

export interface ChannelSummary {
  channel: Channel
  checks: number
  /** The latest test notification's state and error, if one was sent. */
  test: { status: NotificationStatus; error: string; created: number } | null
}

export async function listChannelSummaries(ctx: Ctx, project: Project): Promise<ChannelSummary[]> {
  const k = ctx.db.kysely
  const channels = await k
    .selectFrom('channels')
    .selectAll()
    .where('project_id', '=', project.id)
    .orderBy('id')
    .execute()
  if (channels.length === 0) return []
  const ids = channels.map((c) => c.id)
  const counts = await k
    .selectFrom('check_channels')
    .select(['channel_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('channel_id', 'in', ids)
    .groupBy('channel_id')
    .execute()
  const tests = await k
    .selectFrom('notifications')
    .select(['channel_id', 'status', 'error', 'created'])
    .where('channel_id', 'in', ids)
    .where('check_id', 'is', null)
    .orderBy('id', 'desc')
    .execute()
  return channels.map((channel) => {
    const test = tests.find((t) => t.channel_id === channel.id)
    return {
      channel,
      checks: Number(counts.find((c) => c.channel_id === channel.id)?.n ?? 0),
      test: test ? { status: test.status, error: test.error, created: test.created } : null,
    }
  })
}
