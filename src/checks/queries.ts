/**
 * Data access for the checks table that more than one module needs: a check by id, by UUID or
 * by badge key; a project's checks and the tags they use; a project's other down checks (alert
 * messages). A use case's one-off query stays beside it; the worker's claims (src/alerts/) and
 * the ping store (src/pings/) keep their own, shaped by their locks and indexes.
 */
import type { Kysely } from 'kysely'
import type { Check, Database } from '../db/index.js'
import { tagsList } from './list-checks.js'

export function checkById(db: Kysely<Database>, id: number): Promise<Check | undefined> {
  return db.selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirst()
}

/** By UUID, whatever its project: callers compare `project_id` themselves. */
export function checkByCode(db: Kysely<Database>, code: string): Promise<Check | undefined> {
  return db.selectFrom('checks').selectAll().where('code', '=', code).executeTakeFirst()
}

/** By the check's own badge key. */
export function checkByBadgeKey(
  db: Kysely<Database>,
  badgeKey: string,
): Promise<Check | undefined> {
  return db.selectFrom('checks').selectAll().where('badge_key', '=', badgeKey).executeTakeFirst()
}

/** Every check of the project whose badge key this is, in creation order. */
export function checksOfBadgeProject(db: Kysely<Database>, badgeKey: string): Promise<Check[]> {
  return db
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .selectAll('checks')
    .where('projects.badge_key', '=', badgeKey)
    .orderBy('checks.id')
    .execute()
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

/** Every tag used by the project's checks, sorted. */
export async function projectTags(db: Kysely<Database>, projectId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('checks')
    .select('tags')
    .where('project_id', '=', projectId)
    .execute()
  return [...new Set(rows.flatMap((r) => tagsList(r.tags)))].sort()
}

export interface OtherDownChecks {
  /** At most `limit` of them, by name then UUID. */
  rows: { name: string; code: string }[]
  /** How many there are in all. */
  total: number
}

/**
 * The project's down checks other than `check` (Healthchecks' Transport.down_checks), or null
 * when the project has no other check at all (the message then says nothing about them).
 */
export async function otherDownChecks(
  db: Kysely<Database>,
  check: Pick<Check, 'id' | 'project_id'>,
  limit: number,
): Promise<OtherDownChecks | null> {
  const others = db
    .selectFrom('checks')
    .where('project_id', '=', check.project_id)
    .where('id', '<>', check.id)
  const siblings = await others.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  if (Number(siblings?.n ?? 0) === 0) return null
  const down = others.where('status', '=', 'down')
  const rows = await down
    .select(['name', 'code'])
    .orderBy('name')
    .orderBy('code')
    .limit(limit)
    .execute()
  const total = await down.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  return { rows, total: Number(total?.n ?? 0) }
}

/** The fields status rules need (statusAt) of every check of these projects. */
export function statusRowsOfProjects(db: Kysely<Database>, projectIds: number[]) {
  return db
    .selectFrom('checks')
    .select([
      'project_id',
      'kind',
      'timeout',
      'grace',
      'schedule',
      'tz',
      'status',
      'last_ping',
      'last_start',
    ])
    .where('project_id', 'in', [-1, ...projectIds])
    .execute()
}
