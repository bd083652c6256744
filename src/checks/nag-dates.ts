/**
 * Keeps users' `next_nag_date` in step with their checks, as Healthchecks'
 * Project.update_next_nag_dates: for a project's owner and members with nags on, a date is set
 * (now + nag_period) when any check of any project they can access is down and none is set yet,
 * and cleared when nothing is down. Conditional updates, so concurrent flips lose no change.
 */
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/index.js'

/** Ids of the projects a user owns or is a member of (a subquery). */
export function accessibleProjects(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('projects')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('owner_id', '=', userId),
        eb(
          'id',
          'in',
          eb
            .selectFrom('members')
            .select('members.project_id')
            .where('members.user_id', '=', userId),
        ),
      ]),
    )
}

export async function updateNextNagDates(
  db: Kysely<Database>,
  projectId: number,
  now: number,
): Promise<void> {
  const project = await db
    .selectFrom('projects')
    .select('owner_id')
    .where('id', '=', projectId)
    .executeTakeFirst()
  if (!project) return
  const members = await db
    .selectFrom('members')
    .select('user_id')
    .where('project_id', '=', projectId)
    .execute()
  const userIds = [project.owner_id, ...members.map((m) => m.user_id)]
  for (const userId of new Set(userIds)) await updateUserNagDate(db, userId, now)
}

/** One user's `next_nag_date`: set (now + nag_period) when something they can see is down and none is set, else cleared. */
export async function updateUserNagDate(db: Kysely<Database>, userId: number, now: number) {
  const down = await db
    .selectFrom('checks')
    .select('checks.id')
    .where('checks.project_id', 'in', accessibleProjects(db, userId))
    .where('checks.status', '=', 'down')
    .limit(1)
    .executeTakeFirst()
  if (down) {
    await db
      .updateTable('users')
      // The cast keeps PostgreSQL from typing the parameter as integer (it exceeds int4).
      .set({ next_nag_date: sql<number>`cast(${now} as bigint) + nag_period * 1000` })
      .where('id', '=', userId)
      .where('nag_period', '>', 0)
      .where('next_nag_date', 'is', null)
      .execute()
  } else {
    await db
      .updateTable('users')
      .set({ next_nag_date: null })
      .where('id', '=', userId)
      .where('next_nag_date', 'is not', null)
      .execute()
  }
}
