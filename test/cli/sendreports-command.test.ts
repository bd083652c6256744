import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Env } from '../../src/config/index.js'
import type { Db } from '../../src/db/index.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js'

test('vigil --help lists sendreports', async () => {
  const r = await runVigil({}, '--help')
  assert.match(r.out, /sendreports \[--loop\]/)
})

test('vigil sendreports refuses unknown options with exit 2', async () => {
  const r = await runVigil({}, 'sendreports', '--bogus')
  assert.equal(r.code, 2)
})

describeEachDatabase('vigil sendreports', (dialect) => {
  let env: Env
  let db: Db
  let drop: () => Promise<void>
  beforeEach(async () => {
    const t = await createTestDatabase(dialect)
    env = databaseEnv(t.dbConfig)
    db = t.db
    drop = t.drop
  })
  afterEach(() => drop())

  test('queues a due report once and prints what it did', async () => {
    const u = await runVigil(
      env,
      'user',
      'create',
      '--email',
      'ops@example.com',
      '--password',
      'longenough',
    )
    assert.equal(u.code, 0, u.err)
    const p = await runVigil(
      env,
      'project',
      'create',
      '--owner',
      'ops@example.com',
      '--name',
      'Backups',
    )
    const project = JSON.parse(p.out)
    await runVigil(env, 'check', 'create', '--project', project.uuid, '--name', 'nightly')
    await db.kysely
      .updateTable('checks')
      .set({ last_ping: Date.now() - 3_600_000 })
      .execute()
    await db.kysely
      .updateTable('users')
      .set({ next_report_date: Date.now() - 1000 })
      .execute()

    const r = await runVigil(env, 'sendreports')
    assert.equal(r.code, 0, r.err)
    assert.equal(r.out, 'Queued 1 report(s) and 0 reminder(s).')
    const mail = await db.kysely.selectFrom('mail_outbox').selectAll().execute()
    assert.equal(mail.length, 1)
    assert.equal(mail[0].subject, 'Monthly Report')

    const again = await runVigil(env, 'sendreports')
    assert.equal(again.out, 'Queued 0 report(s) and 0 reminder(s).')
  })
})
