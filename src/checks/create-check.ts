/**
 * Use case: create a check in a project named by its UUID, for `vigil check create`. The fields go
 * through the management API's own validation and creation (check-input.ts, upsert-check.ts, as
 * API v3: the name never rewrites the slug), so the CLI accepts exactly what `POST /api/v3/checks/`
 * accepts — cron and OnCalendar schedules, legacy zone names — with the same problem texts.
 */
import type { Ctx } from '../context.js'
import { err, ok, type Result } from '../result.js'
import type { ChannelRefError } from './channel-refs.js'
import type { InvalidField } from './check-input.js'
import type { CheckWithChannels } from './find-check.js'
import { upsertCheck } from './upsert-check.js'

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
  /** A cron expression (5 fields) or a systemd OnCalendar expression. */
  schedule?: string
  /** IANA zone; legacy names (e.g. US/Pacific) are rewritten as the API does. */
  tz?: string
  /** "*", "" or comma-separated channel UUIDs/names. Absent = none. */
  channels?: string
}

export type CreateCheckError =
  | { kind: 'project-not-found' }
  | InvalidField
  | { kind: 'check-limit' }
  | ChannelRefError

export type CreatedCheck = CheckWithChannels

export async function createCheck(
  ctx: Ctx,
  input: CreateCheckInput,
): Promise<Result<CreatedCheck, CreateCheckError>> {
  const { projectCode, ...fields } = input
  const project = await ctx.db.kysely
    .selectFrom('projects')
    .selectAll()
    .where('code', '=', projectCode)
    .executeTakeFirst()
  if (!project) return err({ kind: 'project-not-found' })
  // Absent options stay absent, so the model defaults apply as for an API body without them.
  const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
  const r = await upsertCheck(ctx, { project, body, version: 3 })
  if (!r.ok) return r
  return ok({ check: r.value.check, channelCodes: r.value.channelCodes })
}
