/**
 * Grouped alerts (issue 14 §6), the delivery half: a carrier notification (its `group_code` is
 * its own code) with members is delivered as one message listing every check of the group, down
 * and up separately, and its outcome settles the members it carried (alert-groups.ts queues
 * them). Kinds that draw groups get `input.group`; the others get a stand-in check named after
 * the group whose description lists it, so every kind sends something sensible.
 */
import type { Kysely } from 'kysely'
import type { Ctx } from '../context.js'
import type { Check, Database, Flip, Notification } from '../db/index.js'
import {
  type DeliveryInput,
  type GroupMessageInput,
  groupFallbackText,
  groupMessageInput,
  groupStatus,
  groupTitle,
  type Integration,
} from '../integrations/index.js'
import type { DeliveryOutcome } from './deliver-notifications.js'

/** True when `n` carries a group (it may still have no members). */
export function isGroupCarrier(n: Pick<Notification, 'code' | 'group_code'>): boolean {
  return n.group_code !== null && n.group_code === n.code
}

/** The group `carrier` sends (itself first), or null when nothing joined it. */
export async function loadGroup(
  ctx: Ctx,
  carrier: Notification,
): Promise<GroupMessageInput | null> {
  if (!isGroupCarrier(carrier)) return null
  const k = ctx.db.kysely
  const rows = await k
    .selectFrom('notifications')
    .select(['id', 'check_id', 'flip_id', 'check_status', 'created'])
    .where('group_code', '=', carrier.code)
    .orderBy('id')
    .execute()
  if (rows.length <= 1) return null
  const checkIds = [...new Set(rows.map((r) => r.check_id).filter((v) => v !== null))] as number[]
  const flipIds = [...new Set(rows.map((r) => r.flip_id).filter((v) => v !== null))] as number[]
  const checks = new Map<number, Check>()
  const flips = new Map<number, Flip>()
  if (checkIds.length)
    for (const c of await k.selectFrom('checks').selectAll().where('id', 'in', checkIds).execute())
      checks.set(Number(c.id), c)
  if (flipIds.length)
    for (const f of await k.selectFrom('flips').selectAll().where('id', 'in', flipIds).execute())
      flips.set(Number(f.id), f)
  const entries = []
  let projectId: number | null = null
  for (const r of rows) {
    // A check deleted since its alert was queued has nothing left to announce.
    const check = r.check_id === null ? undefined : checks.get(Number(r.check_id))
    if (!check) continue
    projectId = check.project_id
    const flip = r.flip_id === null ? null : (flips.get(Number(r.flip_id)) ?? null)
    const status = r.check_status === 'up' ? ('up' as const) : ('down' as const)
    entries.push({ check, flip, status, created: r.created })
  }
  if (entries.length <= 1) return null
  const project =
    projectId === null
      ? undefined
      : await k.selectFrom('projects').select('name').where('id', '=', projectId).executeTakeFirst()
  return groupMessageInput(entries, {
    projectName: project?.name ?? '',
    siteName: ctx.config.siteName,
    siteRoot: ctx.config.siteRoot,
  })
}

/**
 * What `integration.deliver` gets for `input`: unchanged for a notification that carries no
 * group; with `group` for the kinds that draw one; otherwise with a stand-in check named after the
 * group ("7 checks changed state in “Backups”: 5 down, 2 up") whose description lists them.
 */
export async function groupedDeliveryInput(
  ctx: Ctx,
  integration: Integration,
  input: DeliveryInput,
): Promise<DeliveryInput> {
  const group = await loadGroup(ctx, input.notification)
  return group ? withGroup(integration, input, group) : input
}

/** Pure: `input` carrying `group`, as `integration` can draw it. */
export function withGroup(
  integration: Pick<Integration, 'rendersGroups'>,
  input: DeliveryInput,
  group: GroupMessageInput,
): DeliveryInput {
  return integration.rendersGroups ? { ...input, group } : standInInput(input, group)
}

/** The stand-in for kinds that draw no group (pure). */
export function standInInput(input: DeliveryInput, group: GroupMessageInput): DeliveryInput {
  return {
    ...input,
    check: { ...input.check, name: groupTitle(group), desc: groupFallbackText(group) },
    notification: { ...input.notification, check_status: groupStatus(group) },
  }
}

/**
 * Settles the members of a carrier with its final outcome, in the carrier's own transaction.
 * A retry leaves them waiting; a hand-off to the mail outbox leaves them to the outbox, which
 * settles the group together (mail/send-due-mail.ts).
 */
export async function settleGroupMembers(
  k: Kysely<Database>,
  carrier: Notification,
  outcome: DeliveryOutcome,
  finished: number,
  error: string,
): Promise<void> {
  if (!isGroupCarrier(carrier)) return
  const fields =
    outcome === 'sent'
      ? { status: 'sent' as const, sent_at: finished, error: '', claimed_by: null }
      : outcome === 'failed'
        ? { status: 'failed' as const, error, claimed_by: null }
        : null
  if (!fields) return
  await k
    .updateTable('notifications')
    .set({ ...fields, attempts: carrier.attempts + 1 })
    .where('group_code', '=', carrier.code)
    .where('id', '<>', carrier.id)
    .where('status', '=', 'sending')
    .execute()
}
