/**
 * Transactional per project: a project whose import fails mid-way leaves no row behind, is
 * listed in the report, and the next run brings it in. The failure is a SQLite trigger on one
 * check's insert (the first project's rows are already written when it fires).
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { TestContext } from '../helpers/context.js'
import { enabledDialects } from '../helpers/databases.js'
import {
  copyFixtureSqlite,
  countRows,
  FIXTURE_COUNTS,
  importContext,
  runImport,
} from './import-harness.js'

const PRODUCTION = 'f22ad878-3ba8-4ce8-8ef4-3088ac007e71'
const INVOICE_MAILER = 'ef83a395-3c9b-44b9-9807-0ed770070414'

let ctx: TestContext
let hc: { file: string; remove(): void }
const sqlite = enabledDialects().includes('sqlite')

beforeEach(async () => {
  if (!sqlite) return
  ctx = await importContext('sqlite')
  hc = copyFixtureSqlite()
})
afterEach(async () => {
  if (!sqlite) return
  await ctx.drop()
  hc.remove()
})

test('a project that fails leaves nothing behind, is reported, and comes in on the next run', {
  skip: !sqlite && 'SQLite not enabled',
}, async () => {
  ctx.db.sqlite?.exec(`CREATE TRIGGER fail_one BEFORE INSERT ON checks
    WHEN NEW.code = '${INVOICE_MAILER}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`)
  const first = await runImport(ctx, hc.file)
  assert.deepEqual(first.skipped, [
    {
      table: 'accounts_project',
      item: PRODUCTION,
      reason: 'failed, nothing of it was written: injected failure',
    },
  ])
  assert.equal(first.created.projects, 2)
  assert.equal(first.created.checks, 8)
  const k = ctx.db.kysely
  assert.equal(
    (await k.selectFrom('projects').select('id').where('code', '=', PRODUCTION).execute()).length,
    0,
  )
  const rows = await countRows(ctx)
  assert.deepEqual(
    { users: rows.users, projects: rows.projects, checks: rows.checks },
    { users: 3, projects: 2, checks: 8 },
  )

  ctx.db.sqlite?.exec('DROP TRIGGER fail_one')
  const second = await runImport(ctx, hc.file)
  assert.equal(second.created.projects, 1)
  assert.equal(second.created.checks, 7)
  assert.deepEqual(await countRows(ctx), FIXTURE_COUNTS)
})
