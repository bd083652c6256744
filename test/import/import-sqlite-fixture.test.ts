import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { goingDownAfter, warnAtFor } from '../../src/checks/index.js'
import type { TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  assertFixtureWorks,
  copyFixtureSqlite,
  countRows,
  FIXTURE_COUNTS,
  importContext,
  runImport,
  sha256File,
} from './import-harness.js'

describeEachDatabase('import from the Healthchecks v2.10 SQLite fixture', (dialect) => {
  let ctx: TestContext
  let hc: { file: string; remove(): void }
  beforeEach(async () => {
    ctx = await importContext(dialect)
    hc = copyFixtureSqlite()
  })
  afterEach(async () => {
    await ctx.drop()
    hc.remove()
  })

  test('imports every row, leaves the Healthchecks file unchanged, and the old URLs, keys and logins work', async () => {
    const before = sha256File(hc.file)
    const report = await runImport(ctx, hc.file)
    assert.equal(sha256File(hc.file), before)
    assert.equal(report.schema, 'v2')
    assert.deepEqual(report.created, FIXTURE_COUNTS)
    assert.deepEqual(report.skipped, [])
    assert.deepEqual(await countRows(ctx), FIXTURE_COUNTS)
    await assertFixtureWorks(ctx)
  })

  test('carries schedules, states and durations of the checks over as they were', async () => {
    await runImport(ctx, hc.file)
    const k = ctx.db.kysely
    const backup = await k
      .selectFrom('checks')
      .selectAll()
      .where('code', '=', '03d6cf9e-9068-4b9a-bd6e-35183c378abe')
      .executeTakeFirstOrThrow()
    assert.equal(backup.slug, 'db-backup-nightly')
    assert.equal(backup.kind, 'cron')
    assert.equal(backup.schedule, '15 2 * * *')
    assert.equal(backup.tz, 'Europe/Riga')
    assert.equal(backup.grace, 3600)
    assert.equal(backup.status, 'up')
    assert.equal(Math.round((backup.last_duration_ms ?? 0) / 1000), 539)
    const search = await k
      .selectFrom('checks')
      .selectAll()
      .where('code', '=', 'da947048-45de-486b-bfa9-71aa4196dd4b')
      .executeTakeFirstOrThrow()
    assert.equal(search.last_start, Date.parse('2026-12-06T08:50:02.630Z'))
    const report = await k
      .selectFrom('checks')
      .selectAll()
      .where('slug', '=', 'email-report')
      .executeTakeFirstOrThrow()
    assert.equal(report.filter_subject, 1)
    assert.equal(report.success_kw, 'SUCCESS, completed')
    assert.equal(report.has_confirmation_link, 1)
    const shipper = await k
      .selectFrom('checks')
      .selectAll()
      .where('slug', '=', 'log-shipper')
      .executeTakeFirstOrThrow()
    assert.equal(shipper.status, 'paused')
    assert.equal(shipper.manual_resume, 1)
    // The two legacy rows keep their text body.
    const legacy = await k
      .selectFrom('pings')
      .select('body')
      .where('body', 'is not', null)
      .execute()
    assert.ok(legacy.length >= 2)
    const maria = await k
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'maria.kalnina@example.com')
      .executeTakeFirstOrThrow()
    assert.equal(maria.tz, 'Europe/Riga')
    assert.equal(maria.reports, 'weekly')
    assert.equal(maria.nag_period, 3600)
  })

  test("each check's alert_after is the deadline Vigil's own rules give it", async () => {
    await runImport(ctx, hc.file)
    const checks = await ctx.db.kysely.selectFrom('checks').selectAll().execute()
    assert.equal(checks.length, 15)
    for (const c of checks) assert.equal(c.alert_after, goingDownAfter(c), c.slug)
  })

  test("each check's warn_at follows its alert_after by the warning-stage rule", async () => {
    await runImport(ctx, hc.file)
    const checks = await ctx.db.kysely.selectFrom('checks').selectAll().execute()
    assert.ok(checks.some((c) => c.alert_after !== null))
    for (const c of checks) {
      assert.equal(c.warn_after, null, c.slug)
      assert.equal(c.warn_at, warnAtFor(c, c.alert_after), c.slug)
    }
  })

  test('integrations this instance cannot send yet are imported and named in the notes', async () => {
    const r = await runImport(ctx, hc.file)
    assert.ok(
      r.notes.includes(
        'Imported, but cannot send until configured here: shell 113adaf5-29c7-4682-9dfe-e276d7314e10: Shell commands are not enabled.',
      ),
    )
  })

  test('a second run creates nothing', async () => {
    await runImport(ctx, hc.file)
    const again = await runImport(ctx, hc.file)
    for (const n of Object.values(again.created)) assert.equal(n, 0)
    assert.equal(again.existing.users, 3)
    assert.equal(again.existing.projects, 3)
    assert.equal(again.existing.checks, 15)
    assert.equal(again.existing.channels, 19)
    assert.deepEqual(await countRows(ctx), FIXTURE_COUNTS)
  })

  test('a dry run reports the same counts and writes nothing', async () => {
    const dry = await runImport(ctx, hc.file, { dryRun: true })
    assert.equal(dry.dryRun, true)
    assert.deepEqual(dry.created, FIXTURE_COUNTS)
    const zero = Object.fromEntries(Object.keys(FIXTURE_COUNTS).map((t) => [t, 0]))
    assert.deepEqual(await countRows(ctx), zero)
  })

  test('--only-users imports those users and the projects they own, and says which members were left out', async () => {
    const r = await runImport(ctx, hc.file, {
      onlyUsers: ['Admin@Example.com', 'nobody@example.com'],
    })
    assert.equal(r.created.users, 1)
    assert.equal(r.created.projects, 1)
    assert.equal(r.created.checks, 4)
    assert.deepEqual(r.skipped, [
      {
        table: 'auth_user',
        item: 'nobody@example.com',
        reason: 'no Healthchecks user has this email (--only-users)',
      },
      {
        table: 'accounts_member',
        item: 'maria.kalnina@example.com in b4f010ee-d654-424c-9c16-3e854126b32a',
        reason: 'the user was not imported',
      },
    ])
  })
})
