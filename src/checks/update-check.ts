/**
 * Use case: update a check from management API input (`POST /api/vN/checks/<uuid>`), as
 * Healthchecks' update_check/_update: 404/403 before validation, then strict validation, then the
 * channels are resolved before anything is saved, only the touched columns are written (with
 * `alert_after` recomputed), and the channel set is replaced when `channels` is given (and the
 * parents when `depends_on` is, Vigil's extension).
 */
import type { Kysely } from 'kysely'
import type { Ctx } from '../context.js'
import { type Check, type Database, lockForUpdate } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { POLICY_COLUMNS, policyConflict, warnAtFor } from './alert-policy.js'
import { type ChannelRefError, resolveChannelRefs } from './channel-refs.js'
import { setCheckChannels } from './check-channels.js'
import { resolveDependsOn, setDependsOn } from './check-dependencies.js'
import {
  applyCheckSpec,
  type CheckSpec,
  type FlapSettings,
  flapSettingsError,
  type InvalidField,
  parseCheckSpec,
  policyOf,
  runTimeLimitsError,
} from './check-input.js'
import { type CheckWithChannels, type FindCheckError, withLinks } from './find-check.js'
import { insightChanges } from './insight-fields.js'
import type { ApiVersion } from './json.js'
import { releaseHeldFlips } from './snooze-check.js'
import { goingDownAfter } from './status.js'

export interface UpdateCheckInput {
  projectId: number
  code: string
  /** The request body, already known to be a JSON object. */
  body: Record<string, unknown>
  version: ApiVersion
  /** Flapping protection (web form only); absent fields leave the check unchanged. */
  flapping?: FlapSettings
}

export type UpdateCheckError = FindCheckError | InvalidField | ChannelRefError

export async function updateCheck(
  ctx: Ctx,
  input: UpdateCheckInput,
): Promise<Result<CheckWithChannels, UpdateCheckError>> {
  const k = ctx.db.kysely
  const found = await k
    .selectFrom('checks')
    .select(['id', 'project_id'])
    .where('code', '=', input.code)
    .executeTakeFirst()
  if (!found) return err({ kind: 'check-not-found' })
  if (found.project_id !== input.projectId) return err({ kind: 'check-forbidden' })
  const spec = parseCheckSpec(input.body, input.version)
  if (!spec.ok) return spec
  const policy = policyOf(input.flapping, spec.value)
  const flapError = flapSettingsError(policy)
  if (flapError) return err(flapError)

  return k.transaction().execute(async (trx) => {
    const q = trx.selectFrom('checks').selectAll().where('id', '=', found.id)
    // Deleted by a concurrent request since the first look: Healthchecks answers 404 too.
    const check = await lockForUpdate(ctx.db, q).executeTakeFirst()
    if (!check) return err({ kind: 'check-not-found' as const })
    const r = await saveCheckSpec(trx, check, spec.value, input.version, policy)
    if (!r.ok) return r
    return ok(await withLinks(trx, r.value))
  })
}

/**
 * Applies a validated spec to an existing check inside the caller's transaction: channels are
 * checked first (nothing is written when they are wrong), then the changed columns and
 * `alert_after` are saved, then the channel set is replaced if the spec names one.
 */
export async function saveCheckSpec(
  trx: Kysely<Database>,
  check: Check,
  spec: CheckSpec,
  version: ApiVersion,
  flapping: FlapSettings = {},
): Promise<Result<Check, ChannelRefError | InvalidField>> {
  let channelIds: number[] | null = null
  if (spec.channels !== undefined) {
    const refs = await resolveChannelRefs(trx, check.project_id, spec.channels)
    if (!refs.ok) return refs
    channelIds = refs.value
  }
  let parentIds: number[] | null = null
  if (spec.depends_on !== undefined) {
    const parents = await resolveDependsOn(trx, check.project_id, check.id, spec.depends_on)
    if (!parents.ok) return parents
    parentIds = parents.value
  }
  let saved = check
  const changes: Partial<Check> = applyCheckSpec(check, spec, version)
  const limits = runTimeLimitsError({ ...check, ...changes })
  if (limits) return err(limits)
  for (const key of POLICY_COLUMNS) {
    const v = flapping[key]
    if (v !== undefined && v !== check[key]) (changes as Record<string, unknown>)[key] = v
  }
  Object.assign(changes, insightChanges(check, spec))
  const conflict = policyConflict({ ...check, ...changes })
  if (conflict) return err(conflict)
  if (Object.keys(changes).length > 0) {
    const alert_after = goingDownAfter({ ...check, ...changes })
    const warn_at = warnAtFor({ ...check, ...changes }, alert_after)
    saved = await trx
      .updateTable('checks')
      .set({ ...changes, alert_after, warn_at })
      .where('id', '=', check.id)
      .returningAll()
      .executeTakeFirstOrThrow()
  }
  if (channelIds !== null) await setCheckChannels(trx, check.id, channelIds)
  if (parentIds !== null) await setDependsOn(trx, check.id, parentIds)
  // New windows: alerts held by the old ones are decided again at the next tick (0 = due).
  if (changes.maintenance !== undefined) await releaseHeldFlips(trx, [check.id], 0)
  return ok(saved)
}
