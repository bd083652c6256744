/**
 * Use case: create a check from management API input (`POST /api/vN/checks/`), or, with
 * `unique`, update the existing check that matches every listed field (Healthchecks' create_check
 * and _lookup). The owner's check limit applies only to real creation. An API-created check gets
 * no channels unless `channels` is given (the UI and auto-provisioning assign all of them).
 */
import type { Ctx } from '../context.js'
import { lockForUpdate, type Project } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { newUuid } from '../tokens.js'
import { policyConflict } from './alert-policy.js'
import { type ChannelRefError, resolveChannelRefs } from './channel-refs.js'
import { setCheckChannels } from './check-channels.js'
import { resolveDependsOn, setDependsOn } from './check-dependencies.js'
import {
  applyCheckSpec,
  type CheckSpec,
  type FlapSettings,
  flapSettingsError,
  type InvalidField,
  NEW_CHECK_COLUMNS,
  parseCheckSpec,
  policyOf,
} from './check-input.js'
import { checksAvailable } from './check-quota.js'
import { type CheckWithChannels, withLinks } from './find-check.js'
import { insightChanges, NEW_INSIGHT_COLUMNS } from './insight-fields.js'
import type { ApiVersion } from './json.js'
import { goingDownAfter } from './status.js'
import { saveCheckSpec } from './update-check.js'

export interface UpsertCheckInput {
  project: Project
  /** The request body, already known to be a JSON object. */
  body: Record<string, unknown>
  version: ApiVersion
  /** Flapping protection (web form only); absent fields keep the defaults or current values. */
  flapping?: FlapSettings
}

export type UpsertCheckError = InvalidField | ChannelRefError | { kind: 'check-limit' }

export interface UpsertedCheck extends CheckWithChannels {
  /** false when `unique` matched an existing check, which was updated instead. */
  created: boolean
}

export async function upsertCheck(
  ctx: Ctx,
  input: UpsertCheckInput,
): Promise<Result<UpsertedCheck, UpsertCheckError>> {
  const parsed = parseCheckSpec(input.body, input.version)
  if (!parsed.ok) return parsed
  const spec = parsed.value
  const policy = policyOf(input.flapping, spec)
  const flapError = flapSettingsError(policy)
  if (flapError) return err(flapError)
  const { project } = input
  const k = ctx.db.kysely

  const existingId = await lookupUnique(ctx, project.id, spec)
  if (existingId !== null) {
    const updated = await k.transaction().execute(async (trx) => {
      const check = await lockForUpdate(
        ctx.db,
        trx.selectFrom('checks').selectAll().where('id', '=', existingId),
      ).executeTakeFirst()
      if (!check) return null
      const r = await saveCheckSpec(trx, check, spec, input.version, policy)
      if (!r.ok) return r
      return ok({ ...(await withLinks(trx, r.value)), created: false })
    })
    // null: deleted meanwhile, so create a fresh one as if there had been no match.
    if (updated !== null) return updated
  }
  return createFromSpec(ctx, project, spec, input.version, policy)
}

/** The id of the first check matching every `unique` field, or null (absent field: no match). */
async function lookupUnique(ctx: Ctx, projectId: number, spec: CheckSpec): Promise<number | null> {
  if (!spec.unique || spec.unique.length === 0) return null
  let q = ctx.db.kysely.selectFrom('checks').select('id').where('project_id', '=', projectId)
  for (const field of spec.unique) {
    const value = spec[field]
    if (value === undefined) return null
    q = q.where(field, '=', value)
  }
  const row = await q.orderBy('id').executeTakeFirst()
  return row?.id ?? null
}

async function createFromSpec(
  ctx: Ctx,
  project: Project,
  spec: CheckSpec,
  version: ApiVersion,
  flapping: FlapSettings,
): Promise<Result<UpsertedCheck, UpsertCheckError>> {
  const k = ctx.db.kysely
  if ((await checksAvailable(k, project)) <= 0) return err({ kind: 'check-limit' })

  // Channels are resolved before anything is written: a bad reference creates nothing.
  let channelIds: number[] = []
  if (spec.channels !== undefined) {
    const refs = await resolveChannelRefs(k, project.id, spec.channels)
    if (!refs.ok) return refs
    channelIds = refs.value
  }
  const parents = await resolveDependsOn(k, project.id, null, spec.depends_on ?? [])
  if (!parents.ok) return parents
  const columns = { ...NEW_CHECK_COLUMNS, ...applyCheckSpec(NEW_CHECK_COLUMNS, spec, version) }
  const conflict = policyConflict({ fail_window: 0, fail_threshold: 0, ...flapping })
  if (conflict) return err(conflict)
  const check = await k.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('checks')
      .values({
        ...columns,
        ...flapping,
        ...insightChanges(NEW_INSIGHT_COLUMNS, spec),
        code: newUuid(),
        badge_key: newUuid(),
        project_id: project.id,
        created: ctx.clock.now(),
        // A new check has no deadline; computed anyway so the rule lives in one place.
        alert_after: goingDownAfter({
          ...columns,
          status: 'new',
          last_ping: null,
          last_start: null,
        }),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await setCheckChannels(trx, row.id, channelIds)
    await setDependsOn(trx, row.id, parents.value)
    return row
  })
  return ok({ ...(await withLinks(k, check)), created: true })
}
