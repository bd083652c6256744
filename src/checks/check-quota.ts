/**
 * How many more checks a project's owner may have: Healthchecks' Project.num_checks_available,
 * the owner's check_limit minus the checks in every project they own. Copying a check and moving
 * one to another owner's project ask it first, and so does creation through the API
 * (upsert-check.ts).
 */
import type { Kysely } from 'kysely'
import type { Database, Project } from '../db/index.js'

export async function checksAvailable(
  db: Kysely<Database>,
  project: Pick<Project, 'owner_id' | 'check_limit'>,
): Promise<number> {
  const used = await db
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('projects.owner_id', '=', project.owner_id)
    .executeTakeFirstOrThrow()
  return project.check_limit - Number(used.n)
}
