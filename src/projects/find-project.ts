/**
 * Reading one project row by its id or UUID, for pages that show a project again after a change
 * and for the web's access guard. Who may open it is project-access.ts's question, not this one's.
 */
import type { Ctx } from '../context.js'
import type { Project } from '../db/index.js'

/** The project with this id (a bug if there is none: callers hold an id they just read). */
export function getProjectById(ctx: Ctx, id: number): Promise<Project> {
  return ctx.db.kysely
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

/** The project with this UUID (stored lower-case), or undefined. */
export function findProjectByCode(ctx: Ctx, code: string): Promise<Project | undefined> {
  return ctx.db.kysely
    .selectFrom('projects')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst()
}
