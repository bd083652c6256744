import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadConfig } from '../../src/config/index.js'
import { CHECKS } from '../../src/doctor/check-catalogue.js'
import { configFindings } from '../../src/doctor/findings.js'

const ids = (env: Record<string, string>) => configFindings(loadConfig(env)).map((f) => f.id)

test('SMTPD-001 SMTPD_PORT without PING_EMAIL_DOMAIN is a warning', () => {
  const f = configFindings(loadConfig({ SMTPD_PORT: '2525' })).find((x) => x.id === 'SMTPD-001')
  assert.equal(f?.severity, 'warning')
  assert.ok(CHECKS.some((c) => c.id === 'SMTPD-001'))
})

test('SMTPD-001 is quiet with a domain, or without the SMTP server', () => {
  assert.ok(
    !ids({ SMTPD_PORT: '2525', PING_EMAIL_DOMAIN: 'ping.example.org' }).includes('SMTPD-001'),
  )
  assert.ok(!ids({}).includes('SMTPD-001'))
})
