/**
 * How many checks a project has (the integrations page says "all N checks"). The check limit
 * counts per owner instead: check-quota.ts.
 */
import type { Ctx } from '../context.js'

export async function countProjectChecks(ctx: Ctx, projectId: number): Promise<number> {
  const { n } = await ctx.db.kysely
    .selectFrom('checks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow()
  return Number(n)
}
