/**
 * Read queries behind the project-wide API endpoints: the project's channels as the API lists
 * them (Channel.to_dict: id, name, kind), the tags its checks use (for badges) and its checks
 * in creation order (for Prometheus).
 */
import type { Kysely } from 'kysely'
import { tagsList } from '../checks/index.js'
import type { Check, Database } from '../db/index.js'

export interface ApiChannel {
  id: string
  name: string
  kind: string
}

/** The project's channels in creation order. */
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

/** Every tag used by the project's checks, sorted. */
export async function projectTags(db: Kysely<Database>, projectId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('checks')
    .select('tags')
    .where('project_id', '=', projectId)
    .execute()
  return [...new Set(rows.flatMap((r) => tagsList(r.tags)))].sort()
}

/** The project's checks in creation order. */
export function projectChecks(db: Kysely<Database>, projectId: number): Promise<Check[]> {
  return db
    .selectFrom('checks')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('id')
    .execute()
}
