/**
 * `vigil doctor` and object storage (OBJ-001 with --network, OBJ-002 from the database), against
 * s3rver on loopback: a missing bucket and refused credentials are errors that name the setting
 * to fix; a working bucket gives no finding; nothing is probed without --network or S3_BUCKET.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import pino from 'pino'
import { type Env, loadConfig } from '../../src/config/index.js'
import type { Ctx } from '../../src/context.js'
import type { Db } from '../../src/db/index.js'
import { CHECKS } from '../../src/doctor/check-catalogue.js'
import { runDoctor } from '../../src/doctor/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { FakeClock } from '../helpers/context.js'
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js'
import { type S3TestServer, startS3Server } from '../helpers/s3-server.js'

describeEachDatabase('vigil doctor: object storage (OBJ-001, OBJ-002)', (dialect) => {
  let s3: S3TestServer
  let db: Db
  let dbEnv: Env
  let drop: () => Promise<void>
  before(async () => {
    s3 = await startS3Server()
  })
  after(() => s3.close())
  beforeEach(async () => {
    const t = await createTestDatabase(dialect)
    db = t.db
    drop = t.drop
    dbEnv = { ...databaseEnv(t.dbConfig), SECRET_KEY: 'x'.repeat(40) }
  })
  afterEach(() => drop())

  function ctxWith(env: Env): Ctx {
    return {
      db,
      clock: new FakeClock(),
      config: loadConfig({ ...dbEnv, ...env }),
      log: pino({ level: 'silent' }),
    }
  }

  const obj = async (ctx: Ctx, network = true) =>
    (await runDoctor(ctx, { network })).filter((f) => f.id.startsWith('OBJ-'))

  test('a working bucket gives no finding', async () => {
    assert.deepEqual(await obj(ctxWith(s3.env())), [])
  })

  test('a missing bucket is OBJ-001, an error naming the bucket', async () => {
    const [f, ...rest] = await obj(ctxWith(s3.env({ S3_BUCKET: 'no-such-bucket' })))
    assert.equal(rest.length, 0)
    assert.equal(f.id, 'OBJ-001')
    assert.equal(f.severity, 'error')
    assert.match(
      f.message,
      /bucket no-such-bucket\) cannot be used: the bucket "no-such-bucket" does not exist/,
    )
    assert.match(f.hint ?? '', /S3_BUCKET/)
  })

  test('refused credentials are OBJ-001', async () => {
    // s3rver checks the access key but not SigV4 signatures, so the wrong key is the access key.
    const [f] = await obj(ctxWith(s3.env({ S3_ACCESS_KEY: 'WRONGKEY' })))
    assert.equal(f.id, 'OBJ-001')
    assert.match(f.message, /the credentials were refused \(HTTP 403/)
  })

  test('without --network or without S3_BUCKET nothing is probed', async () => {
    assert.deepEqual(await obj(ctxWith(s3.env({ S3_BUCKET: 'no-such-bucket' })), false), [])
    assert.deepEqual(await obj(ctxWith({})), [])
  })

  test('bodies waiting for the store are OBJ-002', async () => {
    const ctx = ctxWith(s3.env())
    const { project } = await buildProject(ctx)
    const check = await buildCheck(ctx, project)
    await ctx.db.kysely
      .insertInto('pings')
      .values({
        check_id: check.id,
        n: 1,
        created: ctx.clock.now(),
        kind: 'success',
        scheme: 'http',
        method: 'POST',
        ua: '',
        body: Buffer.alloc(200, 'x'),
        body_waiting: 1,
      })
      .execute()
    const [f] = await obj(ctx, false)
    assert.equal(f.id, 'OBJ-002')
    assert.equal(f.severity, 'warning')
    assert.match(f.message, /^1 ping bodies wait in the database/)
  })

  test('`vigil doctor --network` prints OBJ-001 and exits 1 for a missing bucket', async () => {
    const env = { ...dbEnv, ...s3.env({ S3_BUCKET: 'no-such-bucket' }) }
    await runVigil(env, 'migrate')
    const r = await runVigil(env, 'doctor', '--network')
    assert.equal(r.code, 1, r.out)
    assert.match(r.out, /OBJ-001 .*the bucket "no-such-bucket" does not exist/)
  })

  test('the admin catalogue lists both checks', () => {
    assert.deepEqual(
      CHECKS.filter((c) => c.id.startsWith('OBJ-')).map((c) => c.source),
      ['network', 'database'],
    )
  })
})
