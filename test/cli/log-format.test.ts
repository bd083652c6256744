import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { createLogger, isPrettyLog, prettyLine } from '../../src/cli/log-format.js'
import { ConfigError, loadConfig } from '../../src/config/index.js'
import { nodeArgsFor } from '../helpers/paths.js'

// Issue 13 §3: logs were JSON only, 16 lines of it before "Vigil is up".

const ESC = '\u001b'
const TIME = new Date(2026, 11, 6, 9, 5, 7).getTime() // local time: the line shows local time

test('a finding reads as one line with its hint below', () => {
  const json = JSON.stringify({
    level: 40,
    time: TIME,
    pid: 1,
    hostname: 'h',
    check: 'MAIL-001',
    severity: 'warn',
    message: 'Email is not configured.',
    hint: 'Set EMAIL_HOST.',
    msg: 'MAIL-001: Email is not configured.',
  })
  assert.equal(
    prettyLine(json, false),
    '09:05:07 WARN  MAIL-001: Email is not configured.\n               → Set EMAIL_HOST.\n',
  )
})

test('other fields follow as key=value, an error stack is indented below, colour only when asked', () => {
  const json = JSON.stringify({
    level: 50,
    time: TIME,
    step: 'mail',
    attempt: 2,
    err: { message: 'boom', stack: 'Error: boom\n    at x' },
    msg: 'worker step failed',
  })
  assert.equal(
    prettyLine(json, false),
    '09:05:07 ERROR worker step failed  step=mail attempt=2\n               Error: boom\n                   at x\n',
  )
  assert.ok(prettyLine(json, true).includes(`${ESC}[31mERROR${ESC}[0m`))
  assert.equal(prettyLine('not json', false), 'not json')
})

test('LOG_FORMAT: auto (readable on a terminal only), json, pretty; anything else is refused', () => {
  assert.equal(loadConfig({}).logFormat, 'auto')
  assert.equal(isPrettyLog('auto', true), true)
  assert.equal(isPrettyLog('auto', false), false)
  assert.equal(isPrettyLog('json', true), false)
  assert.equal(isPrettyLog('pretty', false), true)
  assert.throws(() => loadConfig({ LOG_FORMAT: 'xml' }), ConfigError)
})

function capture(isTTY: boolean): { stream: Writable & { isTTY: boolean }; text: () => string } {
  let text = ''
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        text += chunk.toString()
        done()
      },
    }),
    { isTTY },
  )
  return { stream, text: () => text }
}

test('the logger writes readable lines to a terminal and JSON elsewhere', async () => {
  const tty = capture(true)
  createLogger(loadConfig({}), tty.stream).info({ file: 'x' }, 'hello')
  const pipe = capture(false)
  createLogger(loadConfig({}), pipe.stream).info('hello')
  const forced = capture(true)
  createLogger(loadConfig({ LOG_FORMAT: 'json' }), forced.stream).info('hello')
  await new Promise((r) => setImmediate(r))
  assert.match(tty.text(), /^\d\d:\d\d:\d\d /)
  assert.ok(tty.text().endsWith(` ${ESC}[32mINFO ${ESC}[0m hello  file=x\n`), tty.text())
  assert.equal((JSON.parse(pipe.text()) as { msg: string }).msg, 'hello')
  assert.equal((JSON.parse(forced.text()) as { msg: string }).msg, 'hello')
})

test('vigil serve with LOG_FORMAT=pretty: readable lines, "is up" with the address, no "Server listening" lines', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-log-'))
  const child = spawn(
    process.execPath,
    [...nodeArgsFor(import.meta.url, '../../src/cli/main-entry'), 'serve'],
    {
      cwd: dir,
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'pretty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
  })
  const exited = new Promise((r) => child.on('exit', r))
  try {
    const deadline = Date.now() + 30_000
    while (!/is up/.test(out)) {
      assert.ok(Date.now() < deadline && child.exitCode === null, out)
      await new Promise((r) => setTimeout(r, 100))
    }
    const lines = out.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l))
    assert.ok(
      lines.every((l) => !l.includes('{"level"')),
      out,
    )
    const up = lines.findIndex((l) => /INFO {2}Vigil is up: open http:\/\/localhost:0/.test(l))
    assert.ok(up >= 0, out)
    assert.match(lines[up], /listening on 127\.0\.0\.1:\d+, role all, database SQLite/)
    assert.doesNotMatch(out, /Server listening at/)
    assert.match(out, /INFO {2}applied \d+ database migrations/)
    assert.ok(up < 12, `"is up" comes early (line ${up + 1}):\n${out}`)
  } finally {
    child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
})
