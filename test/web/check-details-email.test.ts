/**
 * The check details page shows the ping email addresses (Healthchecks' `Check.email`) when
 * PING_EMAIL_DOMAIN is set, and nothing about email when it is not.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

describeEachDatabase('web check details: ping by email', (dialect) => {
  describe('with PING_EMAIL_DOMAIN', () => {
    const t = useMonitoringTest(dialect, { PING_EMAIL_DOMAIN: 'ping.example.org' })

    test('details show the UUID and slug email addresses', async () => {
      const { ctx, project } = t()
      const check = await buildCheck(ctx, project, { name: 'backup', slug: 'backup' })
      await t().logIn()
      const r = await t().browser.get(`/checks/${check.code}/details/`)
      assert.equal(r.statusCode, 200)
      assert.ok(r.body.includes(`<code id="ping-email">${check.code}@ping.example.org</code>`))
      assert.ok(
        r.body.includes(
          `<code id="ping-email-slug">${project.ping_key}+backup@ping.example.org</code>`,
        ),
      )
    })
  })

  describe('without PING_EMAIL_DOMAIN', () => {
    const t = useMonitoringTest(dialect)

    test('details show no email address', async () => {
      const { ctx, project } = t()
      const check = await buildCheck(ctx, project, { name: 'backup', slug: 'backup' })
      await t().logIn()
      const r = await t().browser.get(`/checks/${check.code}/details/`)
      assert.equal(r.statusCode, 200)
      assert.ok(!r.body.includes('id="ping-email"'))
    })
  })
})
