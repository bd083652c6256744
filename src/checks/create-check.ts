/**
 * Use case: create a check in a project (simple period+grace or cron+tz), with Healthchecks'
 * limits (timeout and grace 60..31536000 s, slug ^[a-z0-9-_]*$, name ≤ 100) and its check limit.
 * New checks start `new` with no alert deadline. Used by `vigil check create`; the management API
 * issue builds its create/update on the same validation.
 */
import type { Ctx } from '../context.js'
import type { Check, ScheduleKind } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { guessKind, isValidCron, isValidTimeZone } from '../schedule/index.js'
import { newUuid } from '../tokens.js'
import { type ChannelRefError, resolveChannelRefs } from './channel-refs.js'

export interface CreateCheckInput {
  projectCode: string
  name?: string
  slug?: string
  tags?: string
  desc?: string
  /** Seconds. */
  timeout?: number
  /** Seconds. */
  grace?: number
  schedule?: string
  tz?: string
  /** "*", "" or comma-separated channel UUIDs/names. Absent = none. */
  channels?: string
}

export type CreateCheckError =
  | { kind: 'project-not-found' }
  | { kind: 'invalid-field'; field: string; problem: string }
  | { kind: 'check-limit' }
  | ChannelRefError

export interface CreatedCheck {
  check: Check
  channelCodes: string[]
}

export const MIN_SECONDS = 60
export const MAX_SECONDS = 31_536_000

function invalid(field: string, problem: string): { ok: false; error: CreateCheckError } {
  return err({ kind: 'invalid-field', field, problem })
}

export async function createCheck(
  ctx: Ctx,
  input: CreateCheckInput,
): Promise<Result<CreatedCheck, CreateCheckError>> {
  if ((input.name ?? '').length > 100) return invalid('name', 'is too long')
  if (input.slug !== undefined) {
    if (input.slug.length > 100) return invalid('slug', 'is too long')
    if (!/^[a-z0-9-_]*$/.test(input.slug)) return invalid('slug', 'does not match pattern')
  }
  for (const field of ['timeout', 'grace'] as const) {
    const v = input[field]
    if (v === undefined) continue
    if (!Number.isInteger(v)) return invalid(field, 'is not a number')
    if (v < MIN_SECONDS) return invalid(field, 'is too small')
    if (v > MAX_SECONDS) return invalid(field, 'is too large')
  }
  let kind: ScheduleKind = 'simple'
  if (input.schedule !== undefined) {
    if (input.schedule.length > 100) return invalid('schedule', 'is too long')
    kind = guessKind(input.schedule)
    if (kind !== 'cron' || !isValidCron(input.schedule)) {
      return invalid('schedule', 'is not a valid cron or OnCalendar expression')
    }
  }
  if (input.tz !== undefined && !isValidTimeZone(input.tz))
    return invalid('tz', 'is not a valid timezone')

  const k = ctx.db.kysely
  const project = await k
    .selectFrom('projects')
    .selectAll()
    .where('code', '=', input.projectCode)
    .executeTakeFirst()
  if (!project) return err({ kind: 'project-not-found' })
  const used = await k
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('projects.owner_id', '=', project.owner_id)
    .executeTakeFirstOrThrow()
  if (Number(used.n) >= project.check_limit) return err({ kind: 'check-limit' })

  let channelIds: number[] = []
  if (input.channels !== undefined) {
    const r = await resolveChannelRefs(k, project.id, input.channels)
    if (!r.ok) return r
    channelIds = r.value
  }

  const check = await k.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('checks')
      .values({
        code: newUuid(),
        badge_key: newUuid(),
        project_id: project.id,
        created: ctx.clock.now(),
        name: input.name ?? '',
        slug: input.slug ?? '',
        tags: input.tags ?? '',
        desc: input.desc ?? '',
        kind,
        ...(input.timeout !== undefined ? { timeout: input.timeout } : {}),
        ...(input.grace !== undefined ? { grace: input.grace } : {}),
        ...(input.schedule !== undefined ? { schedule: input.schedule } : {}),
        ...(input.tz !== undefined ? { tz: input.tz } : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (channelIds.length > 0) {
      await trx
        .insertInto('check_channels')
        .values(channelIds.map((channel_id) => ({ check_id: row.id, channel_id })))
        .execute()
    }
    return row
  })
  const codes = channelIds.length
    ? await k.selectFrom('channels').select('code').where('id', 'in', channelIds).execute()
    : []
  return ok({ check, channelCodes: codes.map((c) => c.code) })
}
