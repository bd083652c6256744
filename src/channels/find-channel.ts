/**
 * Looks up the channel an API request names and the checks assigned to it. Another project's
 * channel is "forbidden" (403) and an unknown one "not found" (404), as checks are in Healthchecks'
 * API. Also resolves a provisioning body's `checks` against the project.
 */
import type { Kysely } from 'kysely'
import type { InvalidField } from '../checks/index.js'
import type { Channel, Database } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { channelByCode } from './queries.js'

export type FindChannelError = { kind: 'channel-not-found' } | { kind: 'channel-forbidden' }

export interface ChannelWithChecks {
  channel: Channel
  /** UUIDs of the checks the channel is assigned to, in check creation order. */
  checkCodes: string[]
}

export async function findProjectChannel(
  db: Kysely<Database>,
  projectId: number,
  code: string,
): Promise<Result<Channel, FindChannelError>> {
  const channel = await channelByCode(db, code)
  if (!channel) return err({ kind: 'channel-not-found' })
  if (channel.project_id !== projectId) return err({ kind: 'channel-forbidden' })
  return ok(channel)
}

export async function checkCodesOfChannel(
  db: Kysely<Database>,
  channelId: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('check_channels')
    .innerJoin('checks', 'checks.id', 'check_channels.check_id')
    .select('checks.code')
    .where('check_channels.channel_id', '=', channelId)
    .orderBy('checks.id')
    .execute()
  return rows.map((r) => r.code)
}

/** Check ids for a body's `checks`: "*" is every check of the project; UUIDs must be its own. */
export async function resolveCheckRefs(
  db: Kysely<Database>,
  projectId: number,
  refs: '*' | string[],
): Promise<Result<number[], InvalidField>> {
  let q = db.selectFrom('checks').select(['id', 'code']).where('project_id', '=', projectId)
  if (refs !== '*') {
    if (refs.length === 0) return ok([])
    q = q.where('code', 'in', refs)
  }
  const rows = await q.orderBy('id').execute()
  if (refs !== '*') {
    const found = new Set(rows.map((r) => r.code))
    const missing = refs.find((code) => !found.has(code))
    if (missing !== undefined)
      return err({
        kind: 'invalid-field',
        field: 'checks',
        problem: `has no check ${missing} in this project`,
      })
  }
  return ok(rows.map((r) => r.id))
}

/** Makes `checkIds` the channel's checks exactly. */
export async function setChannelChecks(
  db: Kysely<Database>,
  channelId: number,
  checkIds: number[],
): Promise<void> {
  await db.deleteFrom('check_channels').where('channel_id', '=', channelId).execute()
  if (checkIds.length > 0) {
    await db
      .insertInto('check_channels')
      .values(checkIds.map((check_id) => ({ check_id, channel_id: channelId })))
      .execute()
  }
}
