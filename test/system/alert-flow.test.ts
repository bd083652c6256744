/**
 * The foundation issue's promise, end to end on real parts: a check created with the CLI goes
 * down after period + grace without pings, the worker flips it and the owner's email channel
 * delivers "DOWN | …" to a real SMTP server; a ping brings it back and "UP | …" follows.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import pino from 'pino'
import { startWorker } from '../../src/alerts/index.js'
import { buildApp } from '../../src/app.js'
import { type Config, type Env, loadConfig } from '../../src/config/index.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { FakeClock } from '../helpers/context.js'
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js'
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'

async function vigil(env: Env, ...argv: string[]): Promise<string> {
  const r = await runVigil(env, ...argv)
  assert.equal(r.code, 0, r.err)
  return r.out
}

describeEachDatabase('alert flow from CLI to SMTP', (dialect) => {
  let sink: SmtpSink
  let t: Awaited<ReturnType<typeof createTestDatabase>>
  let env: Env
  beforeEach(async () => {
    sink = await startSmtpSink()
    t = await createTestDatabase(dialect)
    env = {
      ...databaseEnv(t.dbConfig),
      ...sink.env,
      SECRET_KEY: 'k'.repeat(40),
      WORKER_POLL_MS: '20',
    }
  })
  afterEach(async () => {
    await sink.close()
    await t.drop()
  })

  test('a CLI-created check goes down after period + grace and its owner gets DOWN then UP emails', async () => {
    await vigil(
      env,
      'user',
      'create',
      '--email',
      'ops@example.com',
      '--password',
      'a long password',
      '--superuser',
    )
    const project = JSON.parse(
      await vigil(env, 'project', 'create', '--owner', 'ops@example.com', '--name', 'Backups'),
    )
    const check = JSON.parse(
      await vigil(
        env,
        'check',
        'create',
        '--project',
        project.uuid,
        '--name',
        'nightly-backup',
        '--timeout',
        '60',
        '--grace',
        '60',
        '--channels',
        '*',
      ),
    )

    const config: Config = { ...loadConfig(env), db: t.dbConfig }
    const clock = new FakeClock(Date.now())
    const ctx = { db: t.db, clock, config, log: pino({ level: 'silent' }) }
    const app = await buildApp(ctx)
    const worker = startWorker(ctx)
    try {
      const ping = await app.inject({ method: 'GET', url: `/ping/${check.uuid}` })
      assert.equal(ping.statusCode, 200)

      clock.advance(119_000) // period + grace not yet over
      // One whole worker iteration at this time, and whatever it sent, before looking. It also
      // writes the heartbeat: without an iteration here (a loaded machine, a slow PostgreSQL),
      // the next one saw no heartbeat for 121 s, over WORKER_OUTAGE_THRESHOLD (120 s), took it
      // for Vigil's own outage and re-armed the check (grace again from "recovery"), so no DOWN
      // mail came.
      await worker.tick()
      await worker.drain()
      assert.equal(sink.messages.length, 0)

      clock.advance(2_000)
      const [down] = await sink.waitFor(1, 10_000)
      assert.equal(down.subject, 'DOWN | nightly-backup')
      assert.deepEqual(down.envelopeTo, ['ops@example.com'])
      const row = await t.db.kysely
        .selectFrom('checks')
        .select('status')
        .where('code', '=', check.uuid)
        .executeTakeFirstOrThrow()
      assert.equal(row.status, 'down')

      assert.equal(
        (await app.inject({ method: 'POST', url: `/ping/${check.uuid}`, payload: 'back' }))
          .statusCode,
        200,
      )
      const messages = await sink.waitFor(2, 10_000)
      assert.equal(messages[1].subject, 'UP | nightly-backup')
    } finally {
      await worker.stop()
      await app.close()
    }
  })
})
