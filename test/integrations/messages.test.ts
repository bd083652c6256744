import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderPagerDutyEvent } from '../../src/integrations/incident-message.js'
import type { AlertMessageInput } from '../../src/integrations/message-facts.js'
import { renderTeamsPayload } from '../../src/integrations/msteamsw-message.js'
import { pushMarkdown } from '../../src/integrations/push-message.js'
import { renderSlackPayload } from '../../src/integrations/slack-message.js'

const CODE = '6f3ae4a2-5c1b-4bde-9a07-2a1f7d5b0c11'

function input(overrides: Partial<AlertMessageInput> = {}): AlertMessageInput {
  return {
    check: {
      code: CODE,
      name: '',
      desc: '',
      tags: '',
      kind: 'cron',
      timeout: 86400,
      grace: 3600,
      schedule: '*/5 * * * *',
      tz: 'Europe/Riga',
    },
    projectName: 'Ops',
    status: 'down',
    flip: { reason: 'fail', created: Date.parse('2026-01-15T11:00:00Z') },
    lastPing: null,
    siteRoot: 'https://vigil.example.com',
    siteName: 'Vigil',
    downChecks: null,
    ...overrides,
  }
}

type SlackAttachment = { title: string; text?: string; fields: { title: string; value: string }[] }

test('Slack names an unnamed check by its UUID and escapes cron asterisks', () => {
  const a = (renderSlackPayload(input()) as { attachments: SlackAttachment[] }).attachments[0]
  assert.equal(a.title, `“${CODE}” is DOWN.`)
  assert.equal(a.text, 'Reason: received a failure signal.')
  assert.deepEqual(
    a.fields.map((f) => [f.title, f.value]),
    [
      ['Project', 'Ops'],
      ['Schedule', '\u034f*/5 \u034f* \u034f* \u034f* \u034f*'],
      ['Time Zone', 'Europe/Riga'],
      ['Total Pings', '0'],
      ['Last Ping', 'Never'],
    ],
  )
})

test('Slack leaves out a ping body holding triple backticks and cuts long ones at 1000', () => {
  const ping = (body: string) => ({
    created: Date.parse('2026-01-15T10:00:00Z'),
    kind: 'fail',
    n: 3,
    body: Buffer.from(body),
  })
  const fields = (body: string) =>
    (renderSlackPayload(input({ lastPing: ping(body) })) as { attachments: SlackAttachment[] })
      .attachments[0].fields
  assert.equal(
    fields('a ``` b').some((f) => f.title === 'Last Ping Body'),
    false,
  )
  const long = fields('x'.repeat(1500)).find((f) => f.title === 'Last Ping Body')
  assert.equal(long?.value, `\`\`\`\n${'x'.repeat(1000)}\n[truncated]\n\`\`\``)
  assert.equal(
    fields('ok').find((f) => f.title === 'Last Ping')?.value,
    'Failure, 2026-01-15 10:00:00 UTC',
  )
})

test('Slack puts the description first, as a long field', () => {
  const a = (
    renderSlackPayload(input({ check: { ...input().check, desc: 'Nightly job' } })) as {
      attachments: SlackAttachment[]
    }
  ).attachments[0]
  assert.deepEqual(a.fields[0], { title: 'Description', value: 'Nightly job' })
})

test('an up message carries no reason', () => {
  const a = (renderSlackPayload(input({ status: 'up' })) as { attachments: SlackAttachment[] })
    .attachments[0]
  assert.equal(a.text, undefined)
})

test('PagerDuty details carry schedule and time zone for cron checks', () => {
  const e = renderPagerDutyEvent(input(), 'key') as { details: Record<string, unknown> }
  assert.deepEqual(e.details, {
    Project: 'Ops',
    'Total pings': 0,
    'Last ping': 'Never',
    Schedule: '*/5 * * * *',
    'Time zone': 'Europe/Riga',
  })
})

test('push Markdown escapes user text and counts other down checks beyond ten', () => {
  const names = Array.from({ length: 11 }, (_, i) => `c${i}`)
  const md = pushMarkdown(
    input({
      check: { ...input().check, name: 'db_*backup*' },
      downChecks: { names, total: 14 },
    }),
  )
  assert.ok(
    md.startsWith('The check "db\\_\\*backup\\*" is DOWN. Reason: received a failure signal.'),
  )
  assert.ok(
    md.endsWith(
      [
        'The following checks are also down:',
        ...names.slice(0, 10).map((n) => `• ${n}`),
        'and 4 more.',
      ].join('\n'),
    ),
  )
  assert.ok(
    pushMarkdown(input({ downChecks: { names: [], total: 0 } })).endsWith(
      'All the other checks are up.',
    ),
  )
})

test('Teams escapes the name in the fallback text only', () => {
  const p = renderTeamsPayload(input({ check: { ...input().check, name: '<b>x</b>' } })) as {
    attachments: { content: { fallbackText: string; body: { text?: string }[] } }[]
  }
  const content = p.attachments[0].content
  assert.equal(content.fallbackText, '“&lt;b&gt;x&lt;/b&gt;” is DOWN.')
  assert.equal(content.body[0].text, '“<b>x</b>” is DOWN. Reason: received a failure signal.')
})
