import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import pino from 'pino'
import { smsCapability } from '../../src/accounts/codes/sms-capability.js'
import { type Env, loadConfig } from '../../src/config/index.js'
import type { Ctx } from '../../src/context.js'
import type { Db } from '../../src/db/index.js'
import { CHECKS } from '../../src/doctor/check-catalogue.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { FakeClock } from '../helpers/context.js'
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js'

describeEachDatabase('vigil doctor --network: Twilio credentials (SMS-002)', (dialect) => {
  let env: Env
  let db: Db
  let drop: () => Promise<void>
  let twilio: CaptureServer
  beforeEach(async () => {
    const t = await createTestDatabase(dialect)
    db = t.db
    drop = t.drop
    twilio = await startCaptureServer()
    env = {
      ...databaseEnv(t.dbConfig),
      SECRET_KEY: 'x'.repeat(40),
      SMS_REAUTH_ENABLED: 'True',
      TWILIO_ACCOUNT: 'ACdoctor',
      TWILIO_AUTH: 'wrong-token',
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
      SMS_TIMEOUT: '2',
    }
  })
  /** A running worker, so the exit code depends on the findings under test only. */
  async function migrateAndBeat() {
    await runVigil(env, 'migrate')
    await db.kysely
      .insertInto('worker_heartbeats')
      .values({ worker_id: 'test:1', role: 'worker', started: Date.now(), last_seen: Date.now() })
      .execute()
  }
  afterEach(async () => {
    await twilio.close()
    await drop()
  })

  /** The app's view of the same database and settings. */
  function appCtx(): Ctx {
    return { db, clock: new FakeClock(), config: loadConfig(env), log: pino({ level: 'silent' }) }
  }

  test('SMS-002 Twilio answering 401 is a warning and turns the sms capability off; 200 turns it back on', async () => {
    await migrateAndBeat()
    twilio.script({ status: 401, body: '{"code":20003,"message":"Authenticate"}' })
    const r = await runVigil(env, 'doctor', '--network')
    assert.equal(r.code, 0, `a warning, not an error: ${r.out}`)
    assert.match(
      r.out,
      /WARN {2}SMS-002 Twilio rejected TWILIO_ACCOUNT and TWILIO_AUTH \(HTTP 401\)/,
    )
    assert.doesNotMatch(r.out, /wrong-token/, 'no credentials in the output')
    const [req] = twilio.requests
    assert.equal(req.method, 'GET')
    assert.equal(req.url, '/2010-04-01/Accounts/ACdoctor.json')
    assert.equal(
      req.headers.authorization,
      `Basic ${Buffer.from('ACdoctor:wrong-token').toString('base64')}`,
    )
    assert.deepEqual(await smsCapability(appCtx()), {
      enabled: false,
      reason: 'credentials-rejected',
    })
    assert.equal((await runVigil(env, 'doctor', '--network', '--strict')).code, 1)

    twilio.script({ status: 200, body: '{"sid":"ACdoctor","status":"active"}' })
    const ok = await runVigil(env, 'doctor', '--network')
    assert.equal(ok.code, 0, ok.out)
    assert.doesNotMatch(ok.out, /SMS-002/)
    assert.deepEqual(await smsCapability(appCtx()), { enabled: true })
  })

  test('SMS-002 without --network Twilio is not asked', async () => {
    await migrateAndBeat()
    const r = await runVigil(env, 'doctor')
    assert.equal(r.code, 0, r.out)
    assert.equal(twilio.requests.length, 0)
    assert.doesNotMatch(r.out, /SMS-002/)
  })
})

test('SMS-002 is listed among the network checks', () => {
  assert.deepEqual(
    CHECKS.find((c) => c.id === 'SMS-002'),
    { id: 'SMS-002', title: 'Twilio accepts the credentials', source: 'network' },
  )
})
