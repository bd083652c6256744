import assert from 'node:assert/strict'
import { test } from 'node:test'
import { standInInput, withGroup } from '../../src/alerts/alert-group-delivery.js'
import type { Channel, Check, Notification } from '../../src/db/index.js'
import {
  type GroupMessageInput,
  groupChecksJson,
  groupFallbackText,
  groupMarkdown,
  groupMessageInput,
  groupPlainText,
  groupTitle,
  renderGroupEmail,
  renderSlackGroup,
  renderTeamsGroup,
  telegramGroupText,
} from '../../src/integrations/group-message.js'
import { integrationFor, supportedKinds } from '../../src/integrations/index.js'
import type { AlertMessageInput } from '../../src/integrations/message-facts.js'
import { renderNtfyGroup } from '../../src/integrations/ntfy.js'
import { pushMarkdown } from '../../src/integrations/push-message.js'
import { renderSlackPayload } from '../../src/integrations/slack-message.js'
import { smsText } from '../../src/integrations/twilio-message.js'

const AT = Date.parse('2026-01-15T12:00:00Z')
const ROOT = 'https://vigil.example.com'

function entry(name: string, status: 'up' | 'down', i: number) {
  const check = { code: `00000000-0000-4000-8000-00000000000${i}`, name, slug: name, tags: 'prod' }
  return {
    check,
    flip: { reason: status === 'down' ? 'fail' : '', created: AT },
    status,
    created: AT,
  }
}

const GROUP: GroupMessageInput = groupMessageInput(
  [entry('db <primary>', 'down', 1), entry('backup', 'down', 2), entry('web', 'up', 3)],
  { projectName: 'Ops', siteName: 'Vigil', siteRoot: ROOT },
)

test('a group lists down and up separately under one title', () => {
  assert.equal(groupTitle(GROUP), '3 checks changed state in “Ops”: 2 down, 1 up')
  assert.equal(groupFallbackText(GROUP), 'Down (2): db <primary>, backup. Up (1): web')
  const text = groupPlainText(GROUP)
  assert.match(
    text,
    /Down \(2\):\n- db <primary> \(2026-01-15 12:00:00 UTC, received a failure signal\) https/,
  )
  assert.match(
    text,
    /Up \(1\):\n- web \(2026-01-15 12:00:00 UTC\) https:\/\/vigil\.example\.com\/checks\//,
  )
})

test('the renderers of the kinds that draw groups escape names and keep the sections', () => {
  const slack = renderSlackGroup(GROUP) as { attachments: { color: string; text: string }[] }
  assert.deepEqual(
    slack.attachments.map((a) => a.color),
    ['danger', 'good'],
  )
  assert.match(slack.attachments[0].text, /db &lt;primary&gt;/)
  assert.match(
    telegramGroupText(GROUP),
    /<b>Down \(2\):<\/b>\n• <a href="[^"]+">db &lt;primary&gt;<\/a>/,
  )
  assert.match(groupMarkdown(GROUP), /\*\*Up \(1\):\*\*\n- \[web\]\(https/)
  const mail = renderGroupEmail(GROUP)
  assert.equal(mail.subject, 'DOWN | 3 checks changed state in “Ops”: 2 down, 1 up')
  assert.match(mail.html, /db &lt;primary&gt;/)
  assert.doesNotMatch(mail.html, /<primary>/)
  assert.equal(JSON.stringify(renderTeamsGroup(GROUP)).includes('FactSet'), true)
  assert.deepEqual(groupChecksJson(GROUP)[2], {
    uuid: '00000000-0000-4000-8000-000000000003',
    name: 'web',
    slug: 'web',
    tags: 'prod',
    status: 'up',
    reason: '',
    at: '2026-01-15T12:00:00+00:00',
    url: `${ROOT}/checks/00000000-0000-4000-8000-000000000003/details/`,
  })
  const ntfy = renderNtfyGroup(
    { topic: 't', url: 'https://ntfy.sh', token: '', priority: 5, priority_up: 0 } as never,
    GROUP,
  )
  assert.equal(ntfy.title, groupTitle(GROUP))
})

/** The renderer each kind that draws groups uses (so a kind cannot claim groups untested). */
const GROUP_RENDERERS: Record<string, (g: GroupMessageInput) => unknown> = {
  email: renderGroupEmail,
  webhook: groupChecksJson,
  slack: renderSlackGroup,
  mattermost: renderSlackGroup,
  discord: renderSlackGroup,
  msteamsw: renderTeamsGroup,
  telegram: telegramGroupText,
  ntfy: groupMarkdown,
}

test('every integration kind renders a group: its own drawing, or a stand-in alert naming the group', () => {
  const check = {
    code: 'c',
    name: 'db',
    desc: '',
    tags: '',
    kind: 'simple',
    timeout: 60,
    grace: 60,
  } as Check
  const notification = { check_status: 'down', created: AT } as Notification
  const input = { channel: {} as Channel, check, flip: null, notification }
  for (const kind of supportedKinds()) {
    const integration = integrationFor(kind)
    assert.ok(integration, kind)
    const given = withGroup(integration, input, GROUP)
    if (integration.rendersGroups) {
      assert.ok(GROUP_RENDERERS[kind], `${kind} draws groups but has no renderer listed here`)
      assert.equal(given.group, GROUP, kind)
      assert.doesNotThrow(() => GROUP_RENDERERS[kind](GROUP), kind)
      continue
    }
    assert.equal(given.group, undefined, kind)
    assert.equal(given.check.name, groupTitle(GROUP), kind)
    assert.equal(given.check.desc, groupFallbackText(GROUP), kind)
    assert.equal(given.notification.check_status, 'down', kind)
    // What the text kinds make of the stand-in (their renderers take any check).
    const message: AlertMessageInput = {
      check: given.check,
      projectName: 'Ops',
      status: 'down',
      flip: null,
      lastPing: null,
      siteRoot: ROOT,
      siteName: 'Vigil',
      downChecks: null,
    }
    assert.match(smsText(message), /3 checks changed state/, kind)
    assert.match(pushMarkdown(message), /Down \(2\): db \\<primary\\>, backup/, kind)
    assert.doesNotThrow(() => renderSlackPayload(message), kind)
  }
})

test('an all-up group is announced as up', () => {
  const up = groupMessageInput([entry('a', 'up', 1), entry('b', 'up', 2)], {
    projectName: '',
    siteName: 'Vigil',
    siteRoot: ROOT,
  })
  assert.equal(groupTitle(up), '2 checks changed state: 2 up')
  const n = { check_status: 'down' } as Notification
  const given = standInInput(
    { channel: {} as Channel, check: {} as Check, flip: null, notification: n },
    up,
  )
  assert.equal(given.notification.check_status, 'up')
})
