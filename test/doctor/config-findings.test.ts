import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Env } from '../../src/config/index.js'
import { loadConfig } from '../../src/config/index.js'
import { configFindings, type Finding } from '../../src/doctor/findings.js'

const KEY = { SECRET_KEY: 'x'.repeat(40) }
const findings = (env: Env) => configFindings(loadConfig({ ...KEY, ...env }))
const find = (env: Env, id: string): Finding | undefined => findings(env).find((f) => f.id === id)

test('SITE-001 a SITE_ROOT with a query or fragment is fatal; a plain one is fine', () => {
  assert.equal(find({ SITE_ROOT: 'https://vigil.example.com/?a=1' }, 'SITE-001')?.severity, 'fatal')
  assert.equal(find({ SITE_ROOT: 'https://vigil.example.com/#top' }, 'SITE-001')?.severity, 'fatal')
  assert.equal(find({ SITE_ROOT: 'https://vigil.example.com/hc' }, 'SITE-001'), undefined)
})

test('SITE-001 SITE_ROOT unset is fatal in production only; other schemes are refused by the config', () => {
  assert.equal(find({ NODE_ENV: 'production' }, 'SITE-001')?.severity, 'fatal')
  assert.match(find({ NODE_ENV: 'production' }, 'SITE-001')?.message ?? '', /SITE_ROOT is not set/)
  assert.equal(find({}, 'SITE-001'), undefined)
  assert.throws(
    () => loadConfig({ SITE_ROOT: 'ftp://x.example.com' }),
    /SITE_ROOT: must start with http/,
  )
})

test('SITE-005 ALLOWED_HOSTS without the SITE_ROOT host is fatal; *, the host or a parent .domain pass', () => {
  const site = { SITE_ROOT: 'https://hc.example.com' }
  assert.equal(
    find({ ...site, ALLOWED_HOSTS: 'example.com,other.org' }, 'SITE-005')?.severity,
    'fatal',
  )
  for (const ok of ['*', 'hc.example.com', 'x.org, .example.com', ''])
    assert.equal(find({ ...site, ALLOWED_HOSTS: ok }, 'SITE-005'), undefined, ok)
})

test('SEC-001 is fatal in production, an error in development, and an error again with ALLOW_INSECURE_SECRET_KEY', () => {
  assert.equal(find({ SECRET_KEY: '---', NODE_ENV: 'production' }, 'SEC-001')?.severity, 'fatal')
  assert.equal(find({ SECRET_KEY: '', DEBUG: 'False' }, 'SEC-001')?.severity, 'fatal')
  assert.equal(
    find({ SECRET_KEY: 'changeme', NODE_ENV: 'production' }, 'SEC-001')?.severity,
    'fatal',
  )
  assert.equal(find({ SECRET_KEY: '---' }, 'SEC-001')?.severity, 'error')
  assert.equal(find({ SECRET_KEY: '---', DEBUG: 'True' }, 'SEC-001')?.severity, 'error')
  assert.equal(
    find(
      { SECRET_KEY: '---', NODE_ENV: 'production', ALLOW_INSECURE_SECRET_KEY: 'True' },
      'SEC-001',
    )?.severity,
    'error',
  )
})

test('SEC-004 DEBUG=True with a public SITE_ROOT is an error; on localhost it is not', () => {
  assert.equal(
    find({ DEBUG: 'True', SITE_ROOT: 'https://vigil.example.com' }, 'SEC-004')?.severity,
    'error',
  )
  assert.equal(find({ DEBUG: 'True', SITE_ROOT: 'http://localhost:8000' }, 'SEC-004'), undefined)
  assert.equal(
    find({ DEBUG: 'False', SITE_ROOT: 'https://vigil.example.com' }, 'SEC-004'),
    undefined,
  )
})

test('SEC-006 an https SITE_ROOT gets Secure cookies, so no finding; nor for http', () => {
  assert.equal(find({ SITE_ROOT: 'https://vigil.example.com' }, 'SEC-006'), undefined)
  assert.equal(find({ SITE_ROOT: 'http://vigil.example.com' }, 'SEC-006'), undefined)
})

test('SMS-001 Twilio partly configured warns, naming what is missing; all or nothing is fine', () => {
  const f = find({ TWILIO_ACCOUNT: 'AC1', TWILIO_AUTH: 'token' }, 'SMS-001')
  assert.equal(f?.severity, 'warning')
  assert.match(f?.message ?? '', /TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is missing/)
  assert.equal(find({ TWILIO_AUTH: 'token' }, 'SMS-001')?.severity, 'warning')
  assert.equal(find({}, 'SMS-001'), undefined)
  assert.equal(
    find(
      { TWILIO_ACCOUNT: 'AC1', TWILIO_AUTH: 't', TWILIO_MESSAGING_SERVICE_SID: 'MG1' },
      'SMS-001',
    ),
    undefined,
  )
})
