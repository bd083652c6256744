/**
 * INV-4: pings, the API and badges work whatever state mail, WebAuthn and SMS are in: here mail
 * points at a closed port and has degraded after failed sends, WebAuthn is disabled (plain http on
 * a public host), and SMS confirmation is switched on with half the Twilio settings. The doctor
 * reports all of it; none of it stands in the way.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { webauthnCapability } from '../../src/accounts/factors/security-keys/webauthn-capability.js'
import { runDoctor } from '../../src/doctor/findings.js'
import { mailStatus, recordInteractiveSend } from '../../src/mail/mail-status.js'
import { badgeUrl } from '../../src/projects/badge-signature.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { closedPort } from '../helpers/smtp-sink.js'
import { type ApiHarness, createApiHarness } from './api-harness.js'

const SITE = 'http://vigil.example.org'
const HOST = { host: 'vigil.example.org' }

describeEachDatabase('INV-4 pings, API and badges without mail, WebAuthn or SMS', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect, {
      SITE_ROOT: SITE,
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(await closedPort()),
      EMAIL_USE_TLS: 'False',
      EMAIL_TIMEOUT: '1',
      SMS_REAUTH_ENABLED: 'True',
      TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
    })
    for (let i = 0; i < 3; i++) await recordInteractiveSend(h.ctx, false, h.ctx.clock.now())
  })
  afterEach(() => h.close())

  test('INV-4 with mail degraded, WebAuthn disabled and SMS half-configured, pings, API and badges answer', async () => {
    assert.equal(await mailStatus(h.ctx), 'degraded')
    assert.equal(webauthnCapability(h.ctx.config).enabled, false)
    const check = await buildCheck(h.ctx, h.alice.project, { name: 'backup', slug: 'backup' })
    const inject = (method: 'GET' | 'POST', url: string, headers = {}, payload?: string) =>
      h.app.inject({ method, url, headers: { ...HOST, ...headers }, payload })

    const byUuid = await inject('GET', `/ping/${check.code}`)
    assert.equal(byUuid.statusCode, 200, byUuid.body)
    assert.equal(byUuid.body, 'OK')
    const bySlug = await inject('POST', `/ping/${h.alice.project.ping_key}/backup/fail`)
    assert.equal(bySlug.statusCode, 200, bySlug.body)

    const list = await inject('GET', '/api/v3/checks/', { 'x-api-key': h.alice.apiKey })
    assert.equal(list.statusCode, 200, list.body)
    assert.equal(list.json().checks[0].status, 'down')
    const created = await inject(
      'POST',
      '/api/v3/checks/',
      { 'x-api-key': h.alice.apiKey, 'content-type': 'application/json' },
      JSON.stringify({ name: 'new one' }),
    )
    assert.equal(created.statusCode, 201, created.body)

    const o = { siteRoot: SITE, secretKey: h.ctx.config.secretKey }
    const badge = await inject(
      'GET',
      badgeUrl(o, h.alice.project.badge_key, '*', 'json', true).slice(SITE.length),
    )
    assert.equal(badge.statusCode, 200, badge.body)
    assert.equal(badge.json().status, 'down')
  })

  test('DOC-5 no global blocking: with error findings the web pages still answer as usual', async () => {
    const findings = await runDoctor(h.ctx, { network: false })
    assert.ok(
      findings.some((f) => f.severity === 'error'),
      `the set-up has error findings: ${findings.map((f) => f.id)}`,
    )
    const get = (url: string) => h.app.inject({ method: 'GET', url, headers: HOST })
    const login = await get('/login')
    assert.equal(login.statusCode, 200)
    assert.match(login.body, /<form[^>]*action="\/login"/)
    const home = await get('/')
    assert.ok([200, 303].includes(home.statusCode), `home answered ${home.statusCode}`)
    assert.notEqual(home.headers.location, '/admin/system')
  })
})
