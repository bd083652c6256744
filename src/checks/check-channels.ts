/**
 * Queries for the check ↔ channel links the API shows (`channels` of a check's JSON) and sets
 * (`channels` in create/update, which replaces the whole set like Django's `channel_set.set`).
 * Not here: parsing the `channels` field (channel-refs.ts).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/index.js'
import { codesByCheck } from './codes-by-check.js'

/** Channel UUIDs per check id (checks without channels are absent from the map). */
export async function channelCodesByCheck(
  db: Kysely<Database>,
  checkIds: number[],
): Promise<Map<number, string[]>> {
  if (checkIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('check_channels')
    .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
    .select(['check_channels.check_id as checkId', 'channels.code as code'])
    .where('check_channels.check_id', 'in', checkIds)
    .execute()
  return codesByCheck(rows)
}

/** Channel UUIDs of one check. */
export async function channelCodesOf(db: Kysely<Database>, checkId: number): Promise<string[]> {
  return (await channelCodesByCheck(db, [checkId])).get(checkId) ?? []
}

/** Makes `channelIds` the check's channels exactly. */
export async function setCheckChannels(
  db: Kysely<Database>,
  checkId: number,
  channelIds: number[],
): Promise<void> {
  await db.deleteFrom('check_channels').where('check_id', '=', checkId).execute()
  if (channelIds.length > 0) {
    await db
      .insertInto('check_channels')
      .values(channelIds.map((channel_id) => ({ check_id: checkId, channel_id })))
      .execute()
  }
}
