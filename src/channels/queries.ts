/**
 * Data access for the channels table that more than one module needs: a channel by id or by
 * UUID, and a project's channels as the API lists them (Healthchecks' Channel.to_dict: id, name,
 * kind). The worker's fan-out query (src/alerts/process-flips.ts) keeps its own.
 */
import type { Kysely } from 'kysely'
import type { Channel, Database } from '../db/index.js'

export function channelById(db: Kysely<Database>, id: number): Promise<Channel | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst()
}

/** By UUID, whatever its project: callers compare `project_id` themselves. */
export function channelByCode(db: Kysely<Database>, code: string): Promise<Channel | undefined> {
  return db.selectFrom('channels').selectAll().where('code', '=', code).executeTakeFirst()
}

export interface ApiChannel {
  id: string
  name: string
  kind: string
}

/** The project's channels in creation order, as the API lists them. */
export function listProjectChannels(
  db: Kysely<Database>,
  projectId: number,
): Promise<ApiChannel[]> {
  return db
    .selectFrom('channels')
    .select(['code as id', 'name', 'kind'])
    .where('project_id', '=', projectId)
    .orderBy('channels.id')
    .execute()
}

/** How many channels each of these projects has (projects without any are absent). */
export async function channelCountsByProject(
  db: Kysely<Database>,
  projectIds: number[],
): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('channels')
    .select(['project_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('project_id', 'in', [-1, ...projectIds])
    .groupBy('project_id')
    .execute()
  return new Map(rows.map((r) => [r.project_id, Number(r.n)]))
}
