/**
 * Use case: the checks of a project for `GET /api/vN/checks/` (Healthchecks' get_checks):
 * in creation order, optionally only those carrying every given tag (exact items of the
 * space-separated tag list) and/or with an exact slug. Returns rows with their channel UUIDs.
 */
import type { Ctx } from '../context.js'
import { channelCodesByCheck } from './check-channels.js'
import { dependsOnByCheck } from './check-dependencies.js'
import type { CheckWithChannels } from './find-check.js'

export interface ListChecksInput {
  projectId: number
  /** Every tag must be present (AND). Empty: no tag filter. */
  tags: string[]
  /** Exact slug; empty or absent: no slug filter. */
  slug?: string
}

/** Healthchecks' tags_list(): split on single spaces, items stripped, empties dropped. */
export function tagsList(tags: string): string[] {
  return tags
    .split(' ')
    .map((t) => t.trim())
    .filter((t) => t !== '')
}

export async function listChecks(ctx: Ctx, input: ListChecksInput): Promise<CheckWithChannels[]> {
  const k = ctx.db.kysely
  // No stored slug or tag holds NUL (PostgreSQL text cannot), so such a filter matches nothing.
  if (input.slug?.includes('\u0000') || input.tags.some((t) => t.includes('\u0000'))) return []
  let q = k.selectFrom('checks').selectAll().where('project_id', '=', input.projectId)
  if (input.slug) q = q.where('slug', '=', input.slug)
  const rows = await q.orderBy('id').execute()
  const wanted = new Set(input.tags)
  const checks =
    wanted.size === 0
      ? rows
      : rows.filter((c) => {
          const have = new Set(tagsList(c.tags))
          return [...wanted].every((t) => have.has(t))
        })
  const channels = await channelCodesByCheck(
    k,
    checks.map((c) => c.id),
  )
  const parents = await dependsOnByCheck(
    k,
    checks.map((c) => c.id),
  )
  return checks.map((check) => ({
    check,
    channelCodes: channels.get(check.id) ?? [],
    dependsOn: parents.get(check.id) ?? [],
  }))
}
