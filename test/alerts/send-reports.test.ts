import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import {
  handleOneNag,
  handleOneReport,
  processFlips,
  sendDueReports,
} from '../../src/alerts/index.js'
import { updateNextNagDates } from '../../src/checks/nag-dates.js'
import type { Check, Project, User } from '../../src/db/index.js'
import { reportsUnsubscribeLink } from '../../src/mail/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const at = (s: string) => Date.parse(s)
const HOUR = 3_600_000
const noJitter = () => 0

describeEachDatabase('reports and nags', (dialect) => {
  let ctx: TestContext
  let owner: User
  let project: Project
  let check: Check
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    ctx.clock.set('2026-02-01T09:30:00Z')
    const built = await buildProject(ctx)
    owner = built.owner
    project = built.project
    check = await buildCheck(ctx, project, {
      name: 'Nightly backup',
      status: 'up',
      created: at('2025-11-01T00:00:00Z'),
      last_ping: at('2026-02-01T09:00:00Z'),
    })
  })
  afterEach(() => ctx.drop())

  const user = () =>
    ctx.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', owner.id)
      .executeTakeFirstOrThrow()
  const mail = () => ctx.db.kysely.selectFrom('mail_outbox').selectAll().orderBy('id').execute()
  const setUser = (
    fields: Partial<
      Pick<User, 'next_report_date' | 'reports' | 'nag_period' | 'next_nag_date' | 'tz'>
    >,
  ) => ctx.db.kysely.updateTable('users').set(fields).where('id', '=', owner.id).execute()

  test('a user without a report date gets one and no mail', async () => {
    assert.equal(await handleOneReport(ctx, ctx.clock.now(), noJitter), 'scheduled')
    assert.equal((await user()).next_report_date, at('2026-03-01T09:00:00Z'))
    assert.equal((await mail()).length, 0)
    assert.equal(await handleOneReport(ctx, ctx.clock.now(), noJitter), 'none')
  })

  test('a due monthly report lists the two previous complete months', async () => {
    await setUser({ next_report_date: at('2026-02-01T09:00:00Z') })
    await ctx.db.kysely
      .insertInto('flips')
      .values([
        {
          check_id: check.id,
          created: at('2026-01-10T10:00:00Z'),
          old_status: 'up',
          new_status: 'down',
          reason: 'timeout',
          processed: 1,
        },
        {
          check_id: check.id,
          created: at('2026-01-10T11:05:00Z'),
          old_status: 'down',
          new_status: 'up',
          reason: '',
          processed: 1,
        },
      ])
      .execute()
    assert.equal(await handleOneReport(ctx, ctx.clock.now(), noJitter), 'sent')
    const [m] = await mail()
    assert.equal(m.to_addr, 'alice@example.org')
    assert.equal(m.subject, 'Monthly Report')
    assert.equal(
      m.text_body,
      [
        'Vigil Monthly Report',
        '',
        'In January 2026, 1 check had 1 downtime event.',
        '',
        'Alices Project',
        '  Nightly backup',
        '    Jan 2026: 1 downtime, 1 h 5 min total',
        '    Dec 2025: All good!',
        '',
        'Change how often you get reports: http://localhost:8000/account/profile',
        `Unsubscribe from reports and reminders: ${reportsUnsubscribeLink('http://localhost:8000', owner.id, ctx.config.secretKey, ctx.clock.now())}`,
        '',
        '--',
        'Vigil',
        '',
      ].join('\n'),
    )
    assert.ok(m.html_body?.includes('Nightly backup</a></td><td>1 downtime, 1 h 5 min total'))
    assert.equal((await user()).next_report_date, at('2026-03-01T09:00:00Z'))
  })

  test('two workers racing for the same report queue one mail', async () => {
    await setUser({ next_report_date: at('2026-02-01T09:00:00Z') })
    const runs = await Promise.all([
      sendDueReports(ctx, ctx.clock.now(), { jitterMinutes: noJitter }),
      sendDueReports(ctx, ctx.clock.now(), { jitterMinutes: noJitter }),
    ])
    assert.equal(runs[0].reports + runs[1].reports, 1)
    assert.equal((await mail()).length, 1)
  })

  test('no report when no check pinged in 180 days, but the date moves on', async () => {
    await ctx.db.kysely
      .updateTable('checks')
      .set({ last_ping: at('2025-07-01T00:00:00Z') })
      .execute()
    await setUser({ next_report_date: at('2026-02-01T09:00:00Z') })
    assert.equal(await handleOneReport(ctx, ctx.clock.now(), noJitter), 'nothing-to-report')
    assert.equal((await mail()).length, 0)
    assert.equal((await user()).next_report_date, at('2026-03-01T09:00:00Z'))
  })

  test('reports off: nothing is scheduled or sent', async () => {
    await setUser({ reports: 'off', next_report_date: at('2026-01-01T09:00:00Z') })
    assert.equal(await handleOneReport(ctx, ctx.clock.now(), noJitter), 'none')
  })

  test('weekly reports in the user zone', async () => {
    await setUser({
      reports: 'weekly',
      tz: 'Europe/Riga',
      next_report_date: at('2026-02-01T07:00:00Z'),
    })
    assert.equal(await handleOneReport(ctx, ctx.clock.now(), noJitter), 'sent')
    assert.equal((await mail())[0].subject, 'Weekly Report')
    // Next Monday, 09:00 in Riga (UTC+2).
    assert.equal((await user()).next_report_date, at('2026-02-02T07:00:00Z'))
  })

  test('a processed down flip starts the nag clock; the up flip stops it', async () => {
    await setUser({ nag_period: 3600 })
    await ctx.db.kysely.updateTable('checks').set({ status: 'down' }).execute()
    await ctx.db.kysely
      .insertInto('flips')
      .values({
        check_id: check.id,
        created: ctx.clock.now(),
        old_status: 'up',
        new_status: 'down',
        reason: 'timeout',
      })
      .execute()
    await processFlips(ctx, ctx.clock.now())
    assert.equal((await user()).next_nag_date, ctx.clock.now() + HOUR)
    await ctx.db.kysely.updateTable('checks').set({ status: 'up' }).execute()
    await ctx.db.kysely
      .insertInto('flips')
      .values({
        check_id: check.id,
        created: ctx.clock.now(),
        old_status: 'down',
        new_status: 'up',
        reason: '',
      })
      .execute()
    await processFlips(ctx, ctx.clock.now())
    assert.equal((await user()).next_nag_date, null)
  })

  test('a due nag lists the checks still down and moves the date by the period', async () => {
    await setUser({ nag_period: 3600, reports: 'off' })
    await ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'down' })
      .where('id', '=', check.id)
      .execute()
    await buildCheck(ctx, project, { name: 'Web', status: 'up', last_ping: ctx.clock.now() })
    await updateNextNagDates(ctx.db.kysely, project.id, ctx.clock.now())
    ctx.clock.advance(HOUR + 1)
    assert.equal(await handleOneNag(ctx, ctx.clock.now()), 'sent')
    const [m] = await mail()
    assert.equal(m.subject, 'Reminder: 1 check still down')
    assert.ok(
      m.text_body.startsWith('This check is still down:\n\nAlices Project\n  Nightly backup\n'),
    )
    assert.equal((await user()).next_nag_date, ctx.clock.now() + HOUR)
    assert.equal(await handleOneNag(ctx, ctx.clock.now()), 'none')
  })

  test('a nag with nothing down clears the date and sends nothing', async () => {
    await setUser({ nag_period: 86400, next_nag_date: ctx.clock.now() - 1 })
    assert.equal(await handleOneNag(ctx, ctx.clock.now()), 'cleared')
    assert.equal((await user()).next_nag_date, null)
    assert.equal((await mail()).length, 0)
  })

  test('a member of the project gets a nag date too', async () => {
    const bob = (await buildProject(ctx, 'bob@example.org', 'Bobs Project')).owner
    await ctx.db.kysely
      .insertInto('members')
      .values({ project_id: project.id, user_id: bob.id, created: ctx.clock.now() })
      .execute()
    await ctx.db.kysely.updateTable('users').set({ nag_period: 86400 }).execute()
    await ctx.db.kysely.updateTable('checks').set({ status: 'down' }).execute()
    await updateNextNagDates(ctx.db.kysely, project.id, ctx.clock.now())
    const row = await ctx.db.kysely
      .selectFrom('users')
      .select('next_nag_date')
      .where('id', '=', bob.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.next_nag_date, ctx.clock.now() + 86_400_000)
  })

  test('nag periods of 0 never nag', async () => {
    await setUser({ nag_period: 0, next_nag_date: ctx.clock.now() - 1 })
    assert.equal(await handleOneNag(ctx, ctx.clock.now()), 'none')
  })
})
