/**
 * Use case: create a channel from the provisioning API (`POST /api/v3/channels/`, a Vigil
 * extension): validate the body (channel-spec.ts, the kind's own parseConfig), resolve `checks`
 * before writing, then insert the channel and its assignments in one transaction.
 * An email channel is verified only for the project owner's own address, as the UI does.
 */
import type { InvalidField } from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { Project } from '../db/index.js'
import { ok, type Result } from '../result.js'
import { newUuid } from '../tokens.js'
import { parseChannelSpec } from './channel-spec.js'
import { isOwnEmailChannel } from './email-verification.js'
import {
  type ChannelWithChecks,
  checkCodesOfChannel,
  resolveCheckRefs,
  setChannelChecks,
} from './find-channel.js'

export interface CreateChannelInput {
  project: Project
  /** The request body, already known to be a JSON object. */
  body: Record<string, unknown>
}

export async function createChannel(
  ctx: Ctx,
  input: CreateChannelInput,
): Promise<Result<ChannelWithChecks, InvalidField>> {
  const parsed = parseChannelSpec(input.body, { config: ctx.config })
  if (!parsed.ok) return parsed
  const spec = parsed.value
  const kind = spec.kind as string
  const value = spec.value as string
  const { project } = input
  const k = ctx.db.kysely
  let checkIds: number[] = []
  if (spec.checks !== undefined) {
    const refs = await resolveCheckRefs(k, project.id, spec.checks)
    if (!refs.ok) return refs
    checkIds = refs.value
  }
  const verified = await isOwnEmailChannel(k, project, kind, value)
  const channel = await k.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('channels')
      .values({
        code: newUuid(),
        project_id: project.id,
        kind,
        name: spec.name ?? '',
        value,
        email_verified: verified ? 1 : 0,
        notify_late: spec.notify_late ? 1 : 0,
        created: ctx.clock.now(),
        ...spec.repeat,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await setChannelChecks(trx, row.id, checkIds)
    return row
  })
  return ok({ channel, checkCodes: await checkCodesOfChannel(k, channel.id) })
}
