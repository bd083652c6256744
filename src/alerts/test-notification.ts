/**
 * "Send test notification", as Healthchecks' channel test (spec 5.2): a notification row with
 * `check_id = NULL`, delivered by the worker like any other, about a dummy check "TEST" (down,
 * 42 pings, last ping a day ago) and a dummy up → down flip (down → up when the channel ignores
 * down). Previous test notifications of the channel are deleted first; a test is tried once, not
 * retried, and its outcome lands on the channel's last_error as usual.
 */
import { channelByCode, channelById } from '../channels/index.js'
import type { Ctx } from '../context.js'
import type { Channel, Check, Flip, Notification } from '../db/index.js'
import { integrationFor } from '../integrations/index.js'
import { err, ok, type Result } from '../result.js'
import { newUuid } from '../tokens.js'
import { signalNotificationsQueued } from './work-signal.js'

export type TestNotificationError =
  | { kind: 'channel-not-found' }
  /** The channel cannot be sent on this server; `reason` says why (e.g. a setting is missing). */
  | { kind: 'channel-unavailable'; reason: string }

export interface QueuedTest {
  /** The notification's code (UUID). */
  code: string
  /** The status the test announces. */
  status: 'up' | 'down'
}

/**
 * Queues a test notification for the channel (its numeric id, or its code). The worker delivers
 * it within one poll interval; read the channel's `last_notify` / `last_error` for the result.
 */
export async function sendTestNotification(
  ctx: Ctx,
  channelRef: number | string,
): Promise<Result<QueuedTest, TestNotificationError>> {
  const now = ctx.clock.now()
  const k = ctx.db.kysely
  const channel = await (typeof channelRef === 'number'
    ? channelById(k, channelRef)
    : channelByCode(k, channelRef))
  if (!channel) return err({ kind: 'channel-not-found' })
  const integration = integrationFor(channel.kind)
  if (!integration)
    return err({
      kind: 'channel-unavailable',
      reason: `This version of Vigil cannot send ${channel.kind} notifications`,
    })
  const off = integration.unavailableReason(ctx.config)
  if (off) return err({ kind: 'channel-unavailable', reason: off })
  const status = integration.isNoop(channel.value, 'down') ? 'up' : 'down'
  const code = newUuid()
  await k.transaction().execute(async (trx) => {
    // A test being delivered right now keeps its row; the others are replaced.
    await trx
      .deleteFrom('notifications')
      .where('channel_id', '=', channel.id)
      .where('check_id', 'is', null)
      .where('status', '<>', 'sending')
      .execute()
    await trx
      .insertInto('notifications')
      .values({
        code,
        check_id: null,
        channel_id: channel.id,
        flip_id: null,
        check_status: status,
        created: now,
        status: 'pending',
        next_attempt_at: now,
      })
      .execute()
  })
  // The person is waiting on the page: this process's sender takes it now.
  signalNotificationsQueued()
  return ok({ code, status })
}

/** The dummy check a test notification talks about (never stored). */
export function testCheck(channel: Pick<Channel, 'project_id'>, n: Notification): Check {
  const check = {
    id: 0,
    code: n.code,
    project_id: channel.project_id,
    name: 'TEST',
    slug: 'test',
    tags: '',
    desc: 'This is a test notification',
    created: n.created,
    kind: 'simple',
    timeout: 86400,
    grace: 3600,
    schedule: '* * * * *',
    tz: 'UTC',
    filter_subject: 0,
    filter_body: 0,
    filter_http_body: 0,
    filter_default_fail: 0,
    start_kw: '',
    success_kw: '',
    failure_kw: '',
    methods: '',
    manual_resume: 0,
    badge_key: '',
    n_pings: 42,
    last_ping: n.created - 86_400_000,
    last_start: null,
    last_start_rid: null,
    last_duration_ms: null,
    has_confirmation_link: 0,
    alert_after: null,
    status: n.check_status === 'up' ? 'up' : 'down',
    alert_failures: 1,
    alert_delay: 0,
    max_runtime: null,
    min_runtime: null,
    last_progress: null,
    insight_duration: 0,
    insight_new_source_days: 0,
    insight_source_scope: 'address',
    insight_two_sources: 0,
    insight_too_often: 0,
    insight_on: 0,
    insight_n: 0,
    insight_state: '',
    snoozed_until: null,
    snooze_reason: '',
    maintenance: '[]',
    fail_window: 0,
    fail_threshold: 0,
    recover_successes: 1,
    warn_after: null,
    warn_at: null,
  } satisfies Omit<Check, never>
  return check as Check
}

/** The dummy flip of a test notification: up → down (reason timeout), or down → up. */
export function testFlip(n: Notification): Flip {
  const down = n.check_status !== 'up'
  return {
    id: 0,
    check_id: 0,
    created: n.created,
    processed: n.created,
    old_status: down ? 'up' : 'down',
    new_status: down ? 'down' : 'up',
    reason: down ? 'timeout' : '',
    recheck_at: null,
    suppressed: 0,
    held_reason: '',
  }
}
