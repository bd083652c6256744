import assert from 'node:assert/strict'
import { test } from 'node:test'
import { htmlToText, readEmailFacts } from '../../src/pings/email-message.js'
import { decideEmailAction, type EmailActionRules } from '../../src/pings/ping-action.js'

const RULES: EmailActionRules = {
  filter_subject: 0,
  filter_body: 0,
  filter_default_fail: 0,
  success_kw: 'SUCCESS',
  failure_kw: 'FAIL, ERROR',
  start_kw: 'START',
}

test('without filters an email ping is a success whatever it says', () => {
  assert.equal(decideEmailAction(RULES, { subject: 'FAIL', text: 'ERROR' }), 'success')
})

test('filter_subject reads only the subject; failure beats success beats start', () => {
  const r = { ...RULES, filter_subject: 1 }
  const cases: [string, string, string][] = [
    ['SUCCESS', 'FAIL', 'success'],
    ['START then ERROR', '', 'fail'],
    ['START and SUCCESS', '', 'success'],
    ['START', '', 'start'],
    ['nothing', 'SUCCESS', 'ign'],
  ]
  for (const [subject, text, kind] of cases)
    assert.equal(decideEmailAction(r, { subject, text }), kind, subject)
})

test('filter_body reads only the text; filter_default_fail turns no match into fail', () => {
  const r = { ...RULES, filter_body: 1 }
  assert.equal(decideEmailAction(r, { subject: 'SUCCESS', text: 'x' }), 'ign')
  assert.equal(decideEmailAction(r, { subject: 'x', text: 'SUCCESS' }), 'success')
  assert.equal(
    decideEmailAction({ ...r, filter_default_fail: 1 }, { subject: 'x', text: 'x' }),
    'fail',
  )
})

test('a keyword split between subject and body does not match', () => {
  const r = { ...RULES, filter_subject: 1, filter_body: 1 }
  assert.equal(decideEmailAction(r, { subject: 'SUCC', text: 'ESS' }), 'ign')
})

test('htmlToText drops tags, scripts and styles and decodes entities', () => {
  assert.equal(
    htmlToText(
      '<html><style>p{}</style><script>FAIL()</script><p>Job&nbsp;<b>OK</b> &amp; &#83;UCCESS &#x21;</p><!-- FAIL --></html>',
    ),
    'Job OK & SUCCESS !',
  )
})

test('readEmailFacts decodes a MIME message: subject, text and HTML parts', async () => {
  const raw = Buffer.from(
    [
      'From: cron@example.org',
      'Subject: =?utf-8?q?Backup_=E2=9C=93_done?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('plain SUCCESS').toString('base64'),
      '--b',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>html =46AIL</p>',
      '--b--',
      '',
    ].join('\r\n'),
  )
  const facts = await readEmailFacts(raw)
  assert.equal(facts.subject, 'Backup ✓ done')
  assert.match(facts.text, /plain SUCCESS/)
  assert.match(facts.text, /html FAIL/)
})
