import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderAppriseMessage } from '../../src/integrations/apprise-message.js'
import { renderAlertEmail } from '../../src/integrations/email-message.js'
import { renderGoogleChatPayload } from '../../src/integrations/googlechat-message.js'
import {
  renderOpsgenieAlert,
  renderPagerDutyEvent,
  renderPagerTreeEvent,
  renderSpikeEvent,
  renderVictorOpsAlert,
} from '../../src/integrations/incident-message.js'
import { supportedKinds } from '../../src/integrations/index.js'
import { renderMatrixEvent } from '../../src/integrations/matrix-message.js'
import type { AlertMessageInput } from '../../src/integrations/message-facts.js'
import { renderTeamsPayload } from '../../src/integrations/msteamsw-message.js'
import { pushMarkdown, pushTitle } from '../../src/integrations/push-message.js'
import { renderPushbulletNote } from '../../src/integrations/pushbullet-message.js'
import { pushoverMessage, pushoverTitle } from '../../src/integrations/pushover-message.js'
import { renderRocketChatPayload } from '../../src/integrations/rocketchat-message.js'
import { shellEnvironment } from '../../src/integrations/shell-environment.js'
import { signalText } from '../../src/integrations/signal-message.js'
import { renderSlackPayload } from '../../src/integrations/slack-message.js'
import { telegramText } from '../../src/integrations/telegram-message.js'
import {
  callTwiml,
  smsText,
  whatsappTemplate,
  whatsappVariables,
} from '../../src/integrations/twilio-message.js'
import { renderWebhookTemplate } from '../../src/integrations/webhook-template.js'
import { zulipContent } from '../../src/integrations/zulip-message.js'

const DETAIL = 'last ping 2026-01-15T10:00:00+00:00; goes down at 2026-01-15T11:05:00+00:00'

const input: AlertMessageInput = {
  check: {
    code: '0b2a3c4d-0000-4000-8000-000000000001',
    name: 'Backups',
    desc: '',
    tags: 'db',
    kind: 'simple',
    timeout: 3600,
    grace: 300,
    schedule: '',
    tz: 'UTC',
  },
  projectName: 'Ops',
  status: 'down',
  flip: null,
  lastPing: null,
  siteRoot: 'http://localhost:8000',
  siteName: 'Vigil',
  downChecks: null,
  warning: { kind: 'late', detail: DETAIL, word: 'LATE' },
}

const full = { ...input, check: { ...input.check, slug: 'backups', n_pings: 3 } }

/** What each kind sends for a warning, rendered by the same functions its delivery uses. */
const RENDER: Record<string, () => unknown> = {
  email: () => renderAlertEmail({ ...full, status: 'down', lastPing: null }),
  webhook: () =>
    renderWebhookTemplate(
      '$STATUS $WARNING $DETAIL',
      {
        code: input.check.code,
        status: 'late',
        now: '',
        name: 'Backups',
        slug: '',
        tags: '',
        json: '{}',
        lastPing: null,
        warning: 'late',
        detail: DETAIL,
      },
      'body',
    ),
  slack: () => renderSlackPayload(input),
  mattermost: () => renderSlackPayload(input),
  discord: () => renderSlackPayload(input),
  rocketchat: () => renderRocketChatPayload(input),
  msteamsw: () => renderTeamsPayload(input),
  googlechat: () => renderGoogleChatPayload(input),
  pd: () => renderPagerDutyEvent(input, 'key'),
  opsgenie: () => renderOpsgenieAlert(input),
  victorops: () => renderVictorOpsAlert(input),
  pagertree: () => renderPagerTreeEvent(input),
  spike: () => renderSpikeEvent(input),
  ntfy: () => [pushTitle(input), pushMarkdown(input)],
  gotify: () => [pushTitle(input), pushMarkdown(input)],
  po: () => [pushoverTitle(input), pushoverMessage(input)],
  telegram: () => telegramText(input),
  zulip: () => zulipContent(input),
  matrix: () => renderMatrixEvent(input),
  pushbullet: () => renderPushbulletNote(input),
  sms: () => smsText(input),
  call: () => callTwiml(input),
  // WhatsApp sends an approved warning template: the check's name and the word (see README).
  whatsapp: () => whatsappVariables(input),
  signal: () => signalText(input),
  apprise: () => renderAppriseMessage(input),
  shell: () => shellEnvironment(full, 0),
}

test('every integration kind renders a warning, saying LATE and why', () => {
  assert.deepEqual(Object.keys(RENDER).sort(), supportedKinds().sort())
  for (const [kind, render] of Object.entries(RENDER)) {
    const text = JSON.stringify(render())
    if (kind === 'whatsapp') {
      assert.match(text, /Backups/)
      assert.match(text, /LATE/)
      continue
    }
    assert.match(text, /LATE|late/, kind)
    assert.doesNotMatch(text, /\bis DOWN\b/, kind)
    if (!['call', 'shell', 'opsgenie', 'pd'].includes(kind))
      assert.ok(text.includes('goes down at'), kind)
  }
})

test('the Slack-like kinds colour a warning as a warning', () => {
  const payload = renderSlackPayload(input) as { attachments: { color: string; text: string }[] }
  assert.equal(payload.attachments[0].color, 'warning')
  assert.equal(payload.attachments[0].text, `Reason: ${DETAIL}.`)
})

test('WhatsApp picks the warning template for a warning, never the down one', () => {
  const t = { down: 'HXdown', up: 'HXup', warning: 'HXwarn' }
  assert.equal(whatsappTemplate(input, t), 'HXwarn')
  assert.equal(whatsappTemplate(input, { ...t, warning: null }), null)
  assert.equal(whatsappTemplate({ ...input, warning: null }, t), 'HXdown')
  assert.equal(whatsappTemplate({ ...input, warning: null, status: 'up' }, t), 'HXup')
})
