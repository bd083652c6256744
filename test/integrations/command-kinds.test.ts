import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { APPRISE_MISSING, runApprise } from '../../src/integrations/apprise.js'
import { COMMAND_PATH } from '../../src/integrations/run-command.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useChannelScene } from './channel-harness.js'

const dir = mkdtempSync(join(tmpdir(), 'vigil-cmd-'))
const out = join(dir, 'out.txt')

// A failing script for Shell, and a fake `apprise` that records its arguments, one per line.
before(() => {
  writeFileSync(join(dir, 'fail.sh'), '#!/bin/sh\necho "disk full on /backup" >&2\nexit 3\n')
  chmodSync(join(dir, 'fail.sh'), 0o755)
  writeFileSync(
    join(dir, 'apprise'),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n---\\n' "$a"; done > ${out}.apprise\nexit "\${FAKE_EXIT:-0}"\n`,
  )
  chmodSync(join(dir, 'apprise'), 0o755)
})
after(() => rmSync(dir, { recursive: true, force: true }))

describeEachDatabase('Shell commands', (dialect) => {
  const scene = useChannelScene(dialect, () => ({ SHELL_ENABLED: 'True' }))

  test('the command gets the facts as environment variables, never in its text', async () => {
    const s = scene()
    await s.ctx.db.kysely
      .updateTable('checks')
      .set({ name: 'a"; touch /tmp/pwned; echo "' })
      .execute()
    await s.channel('shell', {
      cmd_down: `printf '%s|%s|%s|%s|%s|%s|%s|%s\\n' "$NAME" "$STATUS" "$CODE" "$TAGS" "$TAG1" "$TAG2" "$PROJECT" "$EXITSTATUS" > ${out}`,
      cmd_up: `echo "up $NAME" >> ${out}; env | grep -c SECRET_KEY >> ${out} || true`,
    })
    assert.deepEqual(await s.goDown(), ['sent'])
    assert.equal(
      readFileSync(out, 'utf8'),
      `a"; touch /tmp/pwned; echo "|down|${s.check.code}|prod db|prod|db|Alices Project|-1\n`,
    )
    assert.deepEqual(await s.comeUp(), ['sent'])
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    assert.equal(lines[1], 'up a"; touch /tmp/pwned; echo "')
    // The worker's own environment (and its secrets) is not passed on.
    assert.equal(lines[2], '0')
  })

  test('an empty command is a no-op for that status', async () => {
    const s = scene()
    await s.channel('shell', { cmd_down: 'true', cmd_up: '' })
    assert.deepEqual(await s.goDown(), ['sent'])
    assert.deepEqual(await s.comeUp(), [])
  })

  test('a non-zero exit fails with the exit code and the end of stderr', async () => {
    const s = scene()
    const ch = await s.channel('shell', { cmd_down: join(dir, 'fail.sh'), cmd_up: '' })
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal(
      (await s.channelRow(ch.id)).last_error,
      'Command returned exit code 3: disk full on /backup',
    )
  })

  test('a command that runs too long is killed and reported as timed out', async () => {
    const s = scene()
    const ch = await s.channel('shell', { cmd_down: 'sleep 30', cmd_up: '' })
    const started = Date.now()
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.ok(Date.now() - started < 10_000)
    assert.equal((await s.channelRow(ch.id)).last_error, 'Command timed out')
  })
})

describeEachDatabase('Shell and Apprise switched off', (dialect) => {
  const scene = useChannelScene(dialect)

  test('without SHELL_ENABLED and APPRISE_ENABLED nothing runs', async () => {
    const s = scene()
    const sh = await s.channel('shell', { cmd_down: `touch ${out}.off`, cmd_up: '' })
    const ap = await s.channel('apprise', 'json://127.0.0.1/')
    assert.deepEqual(await s.goDown(), ['failed', 'failed'])
    assert.equal((await s.channelRow(sh.id)).last_error, 'Shell commands are not enabled.')
    assert.equal((await s.channelRow(ap.id)).last_error, 'Apprise notifications are not enabled.')
    assert.throws(() => readFileSync(`${out}.off`))
  })
})

describeEachDatabase('Apprise', (dialect) => {
  const scene = useChannelScene(dialect, () => ({ APPRISE_ENABLED: 'True' }))

  test('a missing apprise command fails permanently with a clear message', async (t) => {
    const installed = COMMAND_PATH.split(':').some((d) => {
      try {
        readFileSync(join(d, 'apprise'))
        return true
      } catch {
        return false
      }
    })
    if (installed) return t.skip('apprise is installed on this machine')
    const s = scene()
    const ch = await s.channel('apprise', 'json://127.0.0.1/')
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal((await s.channelRow(ch.id)).last_error, APPRISE_MISSING)
  })
})

test('apprise gets title, body, type and URL as separate arguments, no shell', async () => {
  const title = 'Nightly $(touch /tmp/pwned) is DOWN'
  const r = await runApprise(
    'json://127.0.0.1:9/hook',
    { title, body: 'line 1\nline 2', type: 'failure' },
    5000,
    `${dir}:/usr/bin:/bin`,
  )
  assert.deepEqual(r, { ok: true })
  const args = readFileSync(`${out}.apprise`, 'utf8').split('\n---\n').slice(0, -1)
  assert.deepEqual(args, [
    '-t',
    title,
    '-b',
    'line 1\nline 2',
    '-n',
    'failure',
    '--',
    'json://127.0.0.1:9/hook',
  ])
})

test('apprise missing from the search path gives the clear error', async () => {
  const r = await runApprise(
    'json://x/',
    { title: 't', body: 'b', type: 'success' },
    5000,
    '/nonexistent',
  )
  assert.deepEqual(r, { ok: false, error: APPRISE_MISSING, permanent: true })
})
