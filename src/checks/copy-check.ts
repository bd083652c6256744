/**
 * Use case: "Create a copy" on the check details page (Healthchecks' copy view): a new check in
 * the same project with the name + " (copy)" (shortened to fit 100 characters), the slug +
 * "-copy" ("" when that would not fit), the same description, tags, schedule, filters, methods,
 * flapping settings and channels, and a fresh UUID, badge key and history. Refused when the
 * owner's check limit is used up. The copy depends on the same parents (it is usually a sibling
 * job on the same host); no check depends on the copy.
 * flapping settings, maintenance windows and channels (not a snooze), and a fresh UUID, badge key and history. Refused when the
 * owner's check limit is used up.
 */
import type { Ctx } from '../context.js'
import type { Check } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { newUuid } from '../tokens.js'
import { setCheckChannels } from './check-channels.js'
import { copyDependsOn } from './check-dependencies.js'
import { checksAvailable } from './check-quota.js'
import { goingDownAfter } from './status.js'

export type CopyCheckError = { kind: 'check-limit' }

const MAX_NAME = 100
const MAX_SLUG = 100

/** Healthchecks' rule: " (copy)" appended, or the first 90 characters + "... (copy)". */
export function copyName(name: string): string {
  const copied = `${name} (copy)`
  return copied.length > MAX_NAME ? `${name.slice(0, 90)}... (copy)` : copied
}

export function copySlug(slug: string): string {
  if (slug === '') return ''
  const copied = `${slug}-copy`
  return copied.length > MAX_SLUG ? '' : copied
}

export async function copyCheck(
  ctx: Ctx,
  input: { check: Check; project: { id: number; owner_id: number; check_limit: number } },
): Promise<Result<Check, CopyCheckError>> {
  const { check, project } = input
  const k = ctx.db.kysely
  if ((await checksAvailable(k, project)) <= 0) return err({ kind: 'check-limit' })
  const schedule = {
    kind: check.kind,
    timeout: check.timeout,
    grace: check.grace,
    schedule: check.schedule,
    tz: check.tz,
  }
  const copied = await k.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('checks')
      .values({
        ...schedule,
        code: newUuid(),
        badge_key: newUuid(),
        project_id: project.id,
        created: ctx.clock.now(),
        name: copyName(check.name),
        slug: copySlug(check.slug),
        desc: check.desc,
        tags: check.tags,
        filter_subject: check.filter_subject,
        filter_body: check.filter_body,
        filter_http_body: check.filter_http_body,
        filter_default_fail: check.filter_default_fail,
        start_kw: check.start_kw,
        success_kw: check.success_kw,
        failure_kw: check.failure_kw,
        methods: check.methods,
        manual_resume: check.manual_resume,
        alert_failures: check.alert_failures,
        alert_delay: check.alert_delay,
        max_runtime: check.max_runtime,
        min_runtime: check.min_runtime,
        insight_duration: check.insight_duration,
        insight_new_source_days: check.insight_new_source_days,
        insight_source_scope: check.insight_source_scope,
        insight_two_sources: check.insight_two_sources,
        insight_too_often: check.insight_too_often,
        insight_on: check.insight_on,
        maintenance: check.maintenance,
        fail_window: check.fail_window,
        fail_threshold: check.fail_threshold,
        recover_successes: check.recover_successes,
        warn_after: check.warn_after,
        status: 'new',
        last_ping: null,
        last_start: null,
        last_start_rid: null,
        last_duration_ms: null,
        alert_after: goingDownAfter({
          ...schedule,
          status: 'new',
          last_ping: null,
          last_start: null,
        }),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const links = await trx
      .selectFrom('check_channels')
      .select('channel_id')
      .where('check_id', '=', check.id)
      .execute()
    await setCheckChannels(
      trx,
      row.id,
      links.map((l) => l.channel_id),
    )
    await copyDependsOn(trx, check.id, row.id)
    return row
  })
  return ok(copied)
}
