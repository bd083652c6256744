import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Env } from '../../src/config/index.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js'

test('vigil --help lists every command', async () => {
  const r = await runVigil({}, '--help')
  assert.equal(r.code, 0)
  for (const cmd of [
    'serve',
    'worker',
    'migrate',
    'user create',
    'project create',
    'check create',
    'doctor',
  ]) {
    assert.ok(r.out.includes(cmd), `help mentions ${cmd}`)
  }
})

test('an unknown command exits 2 with a message', async () => {
  const r = await runVigil({}, 'frobnicate')
  assert.equal(r.code, 2)
  assert.match(r.err, /unknown command "frobnicate"/)
})

test('an invalid setting stops the command with one line naming the variable', async () => {
  const r = await runVigil({ SITE_ROOT: 'nonsense' }, 'migrate')
  assert.equal(r.code, 1)
  assert.equal(r.err.split('\n').length, 1)
  assert.match(r.err, /^vigil: invalid configuration: SITE_ROOT: not a valid URL/)
})

test('doctor reports an invalid setting as a finding and exits 1', async () => {
  const r = await runVigil({ PORT: 'x' }, 'doctor')
  assert.equal(r.code, 1)
  assert.match(r.out, /ERROR vigil\.E000 Invalid setting PORT/)
})

describeEachDatabase('vigil CLI', (dialect) => {
  let env: Env
  let drop: () => Promise<void>
  beforeEach(async () => {
    // The CLI opens its own connection to the same fresh database.
    const t = await createTestDatabase(dialect)
    env = databaseEnv(t.dbConfig)
    drop = t.drop
  })
  afterEach(() => drop())

  test('user create, project create and check create chain as in the README', async () => {
    const u = await runVigil(
      env,
      'user',
      'create',
      '--email',
      'ops@example.com',
      '--password',
      'longenough',
      '--superuser',
    )
    assert.equal(u.code, 0, u.err)
    assert.deepEqual(JSON.parse(u.out).superuser, true)

    const p = await runVigil(
      env,
      'project',
      'create',
      '--owner',
      'ops@example.com',
      '--name',
      'Backups',
    )
    assert.equal(p.code, 0, p.err)
    const project = JSON.parse(p.out)
    assert.deepEqual(Object.keys(project).sort(), [
      'api_key',
      'api_key_readonly',
      'badge_key',
      'name',
      'ping_key',
      'uuid',
    ])
    assert.equal(project.name, 'Backups')
    assert.equal(project.api_key.length, 32)

    const c = await runVigil(
      env,
      'check',
      'create',
      '--project',
      project.uuid,
      '--name',
      'nightly',
      '--timeout',
      '60',
      '--grace',
      '60',
      '--channels',
      '*',
    )
    assert.equal(c.code, 0, c.err)
    const check = JSON.parse(c.out)
    assert.equal(check.name, 'nightly')
    assert.equal(check.timeout, 60)
    assert.equal(check.status, 'new')
    assert.equal(check.ping_url, `http://localhost:8000/ping/${check.uuid}`)
    assert.match(check.channels, /^[0-9a-f-]{36}$/)

    const cron = await runVigil(
      env,
      'check',
      'create',
      '--project',
      project.uuid,
      '--name',
      'cron',
      '--schedule',
      '0 3 * * *',
      '--tz',
      'Europe/Riga',
    )
    assert.equal(cron.code, 0, cron.err)
    assert.equal(JSON.parse(cron.out).schedule, '0 3 * * *')
    assert.equal(JSON.parse(cron.out).tz, 'Europe/Riga')
  })

  test('check create accepts OnCalendar schedules and legacy zone names as the API does', async () => {
    await runVigil(env, 'user', 'create', '--email', 'ops@example.com', '--password', 'longenough')
    const project = JSON.parse(
      (await runVigil(env, 'project', 'create', '--owner', 'ops@example.com', '--name', 'B')).out,
    )
    const r = await runVigil(
      env,
      'check',
      'create',
      '--project',
      project.uuid,
      '--name',
      'weekly',
      '--schedule',
      'Mon *-*-* 02:30',
      '--tz',
      'US/Pacific',
    )
    assert.equal(r.code, 0, r.err)
    const check = JSON.parse(r.out)
    assert.equal(check.schedule, 'Mon *-*-* 02:30')
    assert.equal(check.tz, 'America/Los_Angeles')
    assert.equal(check.slug, '')
  })

  test('project create with given keys refuses a key of the wrong length', async () => {
    await runVigil(env, 'user', 'create', '--email', 'ops@example.com', '--password', 'longenough')
    const r = await runVigil(
      env,
      'project',
      'create',
      '--owner',
      'ops@example.com',
      '--name',
      'B',
      '--api-key',
      'short',
    )
    assert.equal(r.code, 1)
    assert.match(r.err, /--api-key must be exactly 32 characters/)
  })

  test('check create rejects bad values with the field named', async () => {
    await runVigil(env, 'user', 'create', '--email', 'ops@example.com', '--password', 'longenough')
    const project = JSON.parse(
      (await runVigil(env, 'project', 'create', '--owner', 'ops@example.com', '--name', 'B')).out,
    )
    const cases: [string[], RegExp][] = [
      [['--timeout', '59'], /--timeout is too small \(allowed: 60 to 31536000 seconds\)/],
      [['--grace', '31536001'], /--grace is too large \(allowed: 60 to 31536000 seconds\)/],
      [['--schedule', '* * * *'], /--schedule is not a valid cron or OnCalendar expression/],
      [['--schedule', '0 0 * * *', '--tz', 'Mars/Olympus'], /--tz is not a valid timezone/],
      [['--slug', 'Has Caps'], /--slug does not match pattern/],
      [['--channels', 'no-such-channel'], /invalid channel identifier: no-such-channel/],
      [['--timeout', 'soon'], /--timeout must be a whole number/],
    ]
    for (const [extra, message] of cases) {
      const r = await runVigil(
        env,
        'check',
        'create',
        '--project',
        project.uuid,
        '--name',
        'x',
        ...extra,
      )
      assert.notEqual(r.code, 0, extra.join(' '))
      assert.match(r.err, message)
    }
    const unknown = await runVigil(
      env,
      'check',
      'create',
      '--project',
      '00000000-0000-4000-8000-000000000000',
      '--name',
      'x',
    )
    assert.match(unknown.err, /no project with the uuid/)
  })

  test('user create refuses a duplicate email and a short password', async () => {
    assert.equal(
      (
        await runVigil(
          env,
          'user',
          'create',
          '--email',
          'a@example.com',
          '--password',
          'longenough',
        )
      ).code,
      0,
    )
    const dup = await runVigil(
      env,
      'user',
      'create',
      '--email',
      'A@example.com',
      '--password',
      'longenough',
    )
    assert.match(dup.err, /already exists/)
    const short = await runVigil(
      env,
      'user',
      'create',
      '--email',
      'b@example.com',
      '--password',
      'short',
    )
    assert.match(short.err, /at least 8 characters/)
  })

  test('doctor on a default set-up names missing SMTP and the absent worker, not the generated secret key', async () => {
    const r = await runVigil(env, 'doctor')
    assert.equal(r.code, 1)
    assert.doesNotMatch(r.out, /SEC-001/)
    const placeholder = await runVigil({ ...env, SECRET_KEY: '---' }, 'doctor')
    assert.match(placeholder.out, /SEC-001 \(vigil\.W001\) SECRET_KEY is not set/)
    assert.match(r.out, /MAIL-001 \(vigil\.W002\) Email is not configured/)
    assert.match(r.out, /vigil\.E003 No worker has ever run/)
  })

  test('doctor names an unreachable SMTP server', async () => {
    const r = await runVigil(
      {
        ...env,
        SECRET_KEY: 'x'.repeat(40),
        EMAIL_HOST: '127.0.0.1',
        EMAIL_PORT: '1',
        EMAIL_TIMEOUT: '2',
      },
      'doctor',
      '--network',
    )
    assert.equal(r.code, 1)
    assert.match(r.out, /MAIL-005 \(vigil\.E004\) The SMTP server 127\.0\.0\.1:1 cannot be used/)
  })

  test('migrate reports an up-to-date database', async () => {
    const r = await runVigil(env, 'migrate')
    assert.equal(r.code, 0)
    assert.match(r.out, /database is up to date/)
  })
})
