import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import { dataFolder, loadConfig, loadConfigWithStoredKey } from '../../src/config/index.js'
import { configFindings } from '../../src/doctor/index.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-key-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('without SECRET_KEY the key is generated once in the SQLite folder and reused', () => {
  const env = { DB_NAME: join(dir, 'db', 'vigil.sqlite') }
  const first = loadConfigWithStoredKey(env)
  assert.deepEqual(first.storedKey, { file: join(dir, 'db', 'secret_key'), created: true })
  assert.equal(first.config.secretKeyIsDefault, false)
  assert.equal(statSync(join(dir, 'db', 'secret_key')).mode & 0o777, 0o600)
  assert.equal(first.config.accounts.apiKeyHmacKey, first.config.secretKey)
  assert.ok(!configFindings(first.config).some((f) => f.id === 'SEC-001' || f.id === 'SEC-002'))
  const second = loadConfigWithStoredKey(env)
  assert.equal(second.storedKey?.created, false)
  assert.equal(second.config.secretKey, first.config.secretKey)
  assert.equal(readFileSync(join(dir, 'db', 'secret_key'), 'utf8').trim(), first.config.secretKey)
})

test('an explicit SECRET_KEY, even the placeholder, wins over the stored one', () => {
  const r = loadConfigWithStoredKey({ DB_NAME: join(dir, 'vigil.sqlite'), SECRET_KEY: '---' })
  assert.equal(r.storedKey, null)
  assert.ok(configFindings(r.config).some((f) => f.id === 'SEC-001'))
})

test('production neither generates nor reads a stored key: SEC-001 stays fatal', () => {
  const env = { DB_NAME: join(dir, 'vigil.sqlite'), SITE_ROOT: 'https://vigil.example.com' }
  loadConfigWithStoredKey(env)
  const r = loadConfigWithStoredKey({ ...env, DEBUG: 'False' })
  assert.equal(r.storedKey, null)
  assert.equal(configFindings(r.config).find((f) => f.id === 'SEC-001')?.severity, 'fatal')
})

test('a data folder that cannot be written leaves SECRET_KEY unset and SEC-001 raised', () => {
  writeFileSync(join(dir, 'file'), '')
  const r = loadConfigWithStoredKey({ DB_NAME: join(dir, 'file', 'vigil.sqlite') })
  assert.equal(r.storedKey, null)
  assert.equal(r.config.secretKeyIsDefault, true)
  assert.ok(configFindings(r.config).some((f) => f.id === 'SEC-001'))
})

test('the data folder is the SQLite file’s folder, ./data on PostgreSQL, none in memory', () => {
  assert.equal(dataFolder(loadConfig({})), './data')
  assert.equal(dataFolder(loadConfig({ DB_NAME: '/srv/vigil/v.sqlite' })), '/srv/vigil')
  assert.equal(dataFolder(loadConfig({ DATABASE_URL: 'postgres://u@h/db' })), './data')
  assert.equal(dataFolder(loadConfig({ DB_NAME: ':memory:' })), null)
})
