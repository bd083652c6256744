import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderAlertEmail } from '../../src/integrations/email-message.js'
import { formatDuration, tagsList } from '../../src/integrations/message-facts.js'

const check = {
  code: '6f1a3c4e-0000-4000-8000-000000000001',
  name: '',
  desc: '<b>bold</b>',
  tags: 'a  b',
  kind: 'cron' as const,
  timeout: 86400,
  grace: 3600,
  schedule: '0 3 * * *',
  tz: 'Europe/Riga',
  n_pings: 42,
}

test('the subject names the check, or its UUID when unnamed', () => {
  const base = {
    projectName: 'P',
    flip: null,
    lastPing: null,
    siteRoot: 'https://v.example',
    siteName: 'Vigil',
  }
  assert.equal(renderAlertEmail({ ...base, check, status: 'down' }).subject, `DOWN | ${check.code}`)
  assert.equal(
    renderAlertEmail({ ...base, check: { ...check, name: 'db' }, status: 'up' }).subject,
    'UP | db',
  )
})

test('the body lists schedule, tags, last ping and escapes HTML', () => {
  const r = renderAlertEmail({
    check: { ...check, name: 'x & <y>' },
    projectName: 'Ops "team"',
    status: 'down',
    flip: { reason: 'fail', created: 0 },
    lastPing: {
      created: Date.parse('2026-01-15T11:00:00Z'),
      kind: 'fail',
      n: 42,
      body: null,
      exitstatus: 1,
      scheme: 'http',
    },
    siteRoot: 'https://v.example',
    siteName: 'Vigil',
  })
  assert.match(r.text, /is DOWN \(received a failure signal\)\./)
  assert.match(r.text, /Schedule: 0 3 \* \* \*\nTime zone: Europe\/Riga/)
  assert.match(r.text, /Tags: a, b/)
  assert.match(r.text, /Last ping: Failure, 2026-01-15 11:00:00 UTC/)
  assert.match(r.html, /x &amp; &lt;y&gt;/)
  assert.match(r.html, /Ops &quot;team&quot;/)
  assert.match(r.html, /&lt;b&gt;bold&lt;\/b&gt;/)
  assert.doesNotMatch(r.html, /<y>|<b>bold/)
})

const DURATIONS: [number, string][] = [
  [60, '1 minute'],
  [3600, '1 hour'],
  [5400, '1 hour 30 minutes'],
  [86400, '1 day'],
  [604800, '1 week'],
  [1209600, '2 weeks'],
  [691200, '8 days'],
]
for (const [s, words] of DURATIONS) {
  test(`formatDuration(${s}) is "${words}"`, () => assert.equal(formatDuration(s), words))
}

test('tagsList drops empty tags', () => assert.deepEqual(tagsList(' a  b '), ['a', 'b']))
