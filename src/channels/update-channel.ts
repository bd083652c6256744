/**
 * Use case: update a provisioned channel (`POST /api/v3/channels/<uuid>`, a Vigil extension):
 * 404/403 before validation (as check updates), then the body: `name` renames, `config` replaces the
 * whole configuration (validated by the kind's parseConfig; `kind` may only repeat the current one),
 * `checks` replaces the assignment. Absent fields are left alone.
 */
import type { InvalidField } from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { Project } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { parseChannelSpec } from './channel-spec.js'
import { isOwnEmailChannel } from './email-verification.js'
import {
  type ChannelWithChecks,
  checkCodesOfChannel,
  type FindChannelError,
  findProjectChannel,
  resolveCheckRefs,
  setChannelChecks,
} from './find-channel.js'

export interface UpdateChannelInput {
  project: Project
  code: string
  /** The request body, already known to be a JSON object. */
  body: Record<string, unknown>
}

export async function updateChannel(
  ctx: Ctx,
  input: UpdateChannelInput,
): Promise<Result<ChannelWithChecks, FindChannelError | InvalidField>> {
  const k = ctx.db.kysely
  const { project } = input
  const found = await findProjectChannel(k, project.id, input.code)
  if (!found.ok) return found
  const channel = found.value
  const parsed = parseChannelSpec(input.body, {
    config: ctx.config,
    existingKind: channel.kind,
    existingRepeat: channel,
  })
  if (!parsed.ok) return parsed
  const spec = parsed.value
  let checkIds: number[] | null = null
  if (spec.checks !== undefined) {
    const refs = await resolveCheckRefs(k, project.id, spec.checks)
    if (!refs.ok) return refs
    checkIds = refs.value
  }
  const changes: {
    name?: string
    value?: string
    email_verified?: number
    notify_late?: number
    repeat_every?: number
    repeat_max?: number
  } = { ...spec.repeat }
  if (spec.name !== undefined) changes.name = spec.name
  if (spec.notify_late !== undefined) changes.notify_late = spec.notify_late ? 1 : 0
  if (spec.value !== undefined && spec.value !== channel.value) {
    changes.value = spec.value
    if (channel.kind === 'email')
      changes.email_verified = (await isOwnEmailChannel(k, project, 'email', spec.value)) ? 1 : 0
  }
  const saved = await k.transaction().execute(async (trx) => {
    let row = channel
    if (Object.keys(changes).length > 0) {
      const updated = await trx
        .updateTable('channels')
        .set(changes)
        .where('id', '=', channel.id)
        .returningAll()
        .executeTakeFirst()
      // Deleted by a concurrent request since the first look.
      if (!updated) return null
      row = updated
    }
    if (checkIds !== null) await setChannelChecks(trx, channel.id, checkIds)
    return row
  })
  if (saved === null) return err({ kind: 'channel-not-found' })
  return ok({ channel: saved, checkCodes: await checkCodesOfChannel(k, saved.id) })
}
