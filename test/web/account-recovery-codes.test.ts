import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { totpCodeAt } from '../../src/accounts/factors/totp/totp.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'

describeEachDatabase('TOTP set-up page and recovery-code display', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  beforeEach(async () => {
    ctx = await createTestContext(dialect, { SITE_NAME: 'Acme Monitor' })
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    await buildUser(ctx, 'alice@example.org', PASSWORD)
    await browser.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  /** Turns TOTP on through the pages; returns the page that shows the codes. */
  async function enable() {
    const page = await browser.get('/account/totp')
    const secret = /data-totp-secret="([A-Z2-7]+)"/.exec(page.body)?.[1] as string
    return browser.post('/account/totp', {
      csrf: csrfFrom(page.body),
      code: totpCodeAt(secret, ctx.clock.now()),
    })
  }

  test('TOTP-2 the set-up page shows the provisioning URI as an inline SVG QR code and the key in groups of 4', async () => {
    const page = await browser.get('/account/totp')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<svg class="qr-code"[^>]*role="img"/)
    assert.match(page.body, /<path d="M\d+ \d+h1v1h-1z/)
    assert.match(
      page.body,
      /<code data-totp-secret="[A-Z2-7]{32}">([A-Z2-7]{4} ){7}[A-Z2-7]{4}<\/code>/,
    )
    assert.match(page.body, /href="otpauth:\/\/totp\/Acme%20Monitor:alice%40example.org\?/)
  })

  test('RC-2 new codes come with a download as acme-monitor-recovery-codes.txt', async () => {
    const shown = await enable()
    assert.equal(shown.statusCode, 200)
    const codes =
      /<code id="recovery-codes">([^<]+)<\/code>/.exec(shown.body)?.[1].split('\n') ?? []
    assert.equal(codes.length, 10)
    const file = await browser.post('/account/recovery-codes/download', {
      csrf: csrfFrom(shown.body),
      codes: codes.join('\n'),
    })
    assert.equal(file.statusCode, 200)
    assert.match(String(file.headers['content-type']), /^text\/plain/)
    assert.equal(
      file.headers['content-disposition'],
      'attachment; filename="acme-monitor-recovery-codes.txt"',
    )
    for (const c of codes) assert.ok(file.body.includes(c))
  })

  test('RC-2 the download refuses anything that is not a set of codes', async () => {
    const shown = await enable()
    const r = await browser.post('/account/recovery-codes/download', {
      csrf: csrfFrom(shown.body),
      codes: '<script>alert(1)</script>',
    })
    assert.equal(r.statusCode, 303)
  })

  test('RC-2 "Done" is a required checkbox; without the tick the codes are shown again with 400', async () => {
    const shown = await enable()
    assert.match(shown.body, /<input type="checkbox" name="saved" value="1" required\/>/)
    const codes = /<code id="recovery-codes">([^<]+)<\/code>/.exec(shown.body)?.[1] as string
    const unticked = await browser.post('/account/recovery-codes/saved', {
      csrf: csrfFrom(shown.body),
      codes,
    })
    assert.equal(unticked.statusCode, 400)
    assert.ok(unticked.body.includes(codes))
    assert.match(unticked.body, /Save your recovery codes first/)
    const ticked = await browser.post('/account/recovery-codes/saved', {
      csrf: csrfFrom(unticked.body),
      codes,
      saved: '1',
    })
    assert.equal(ticked.statusCode, 303)
    assert.equal(ticked.headers.location, '/account/security')
  })
})
