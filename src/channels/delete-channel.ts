/**
 * Use case: delete a provisioned channel (`DELETE /api/v3/channels/<uuid>`, a Vigil extension).
 * Its check assignments and queued notifications go with it (foreign keys cascade); the answer is
 * the channel as it was, with the checks it had, as a check deletion answers with the check.
 */
import type { Ctx } from '../context.js'
import { err, ok, type Result } from '../result.js'
import {
  type ChannelWithChecks,
  checkCodesOfChannel,
  type FindChannelError,
  findProjectChannel,
} from './find-channel.js'

export async function deleteChannel(
  ctx: Ctx,
  input: { projectId: number; code: string },
): Promise<Result<ChannelWithChecks, FindChannelError>> {
  const k = ctx.db.kysely
  const found = await findProjectChannel(k, input.projectId, input.code)
  if (!found.ok) return found
  const checkCodes = await checkCodesOfChannel(k, found.value.id)
  const deleted = await k.deleteFrom('channels').where('id', '=', found.value.id).executeTakeFirst()
  // Deleted by a concurrent request meanwhile.
  if (Number(deleted.numDeletedRows) === 0) return err({ kind: 'channel-not-found' })
  return ok({ channel: found.value, checkCodes })
}
