/**
 * What the import tests share: the Healthchecks v2.10 fixture (copied, so no test can touch the
 * original), a context whose SECRET_KEY is the one the fixture's badge signatures were made
 * with, and the checks through the real app that prove an imported instance answers as the old
 * one did (pings by UUID and slug, an API key, a badge, a log-in with password and TOTP).
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { TOTP } from 'otpauth'
import { buildApp } from '../../src/app.js'
import type { Env } from '../../src/config/index.js'
import { type ImportReport, importHealthchecks, openHcSource } from '../../src/import/index.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import type { TestDialect } from '../helpers/databases.js'
import { REPO_ROOT } from '../helpers/paths.js'
import { FormClient } from '../web/form-client.js'

/** The Healthchecks v2.10 fixture, kept in the repository (its README lists users, keys, checks). */
export const FIXTURE_DIR = join(REPO_ROOT, 'test', 'fixtures', 'healthchecks-v2.10')

/** The fixture's SECRET_KEY: its badge paths are signed with it. */
export const HC_SECRET_KEY = 'hc-anchor-local-secret-key-not-for-production'
/** T0 of the fixture plus an hour. */
export const AFTER_T0 = Date.parse('2026-12-06T10:00:00Z')

export const MARIA = {
  email: 'maria.kalnina@example.com',
  password: 'pub-Maria-Riga-77',
  totp: 'X4MHI6TBEAPNDXDBENKHPK33Q2JZFQPU',
}
export const ADMIN = { email: 'admin@example.com', password: 'pub-Admin-2026!' }

/** Row counts the v2.10 fixture gives (pings: the newest 100 of each check, ping_log_limit). */
export const FIXTURE_COUNTS = {
  users: 3,
  user_totp: 1,
  webauthn_credentials: 0,
  projects: 3,
  api_keys: 3,
  members: 3,
  channels: 19,
  checks: 15,
  check_channels: 71,
  pings: 1019,
  flips: 34,
}

/** A private copy of the fixture's SQLite file and a way to remove it. */
export function copyFixtureSqlite(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-hc-'))
  const file = join(dir, 'hc.sqlite')
  copyFileSync(join(FIXTURE_DIR, 'hc-public.sqlite'), file)
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

export async function importContext(dialect: TestDialect, env: Env = {}): Promise<TestContext> {
  const ctx = await createTestContext(dialect, { SECRET_KEY: HC_SECRET_KEY, ...env })
  ctx.clock.set(AFTER_T0)
  return ctx
}

export async function runImport(
  ctx: TestContext,
  from: string,
  options: { dryRun?: boolean; onlyUsers?: string[] } = {},
): Promise<ImportReport> {
  const src = await openHcSource(from)
  assert.ok(src.ok, JSON.stringify(!src.ok && src.error))
  try {
    const r = await importHealthchecks(ctx, src.value, { dryRun: false, ...options })
    assert.ok(r.ok)
    return r.value
  } finally {
    await src.value.close()
  }
}

/** Rows in each table the import writes. */
export async function countRows(ctx: TestContext): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of Object.keys(FIXTURE_COUNTS) as (keyof typeof FIXTURE_COUNTS)[]) {
    const r = await ctx.db.kysely
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow()
    out[t] = Number(r.n)
  }
  return out
}

/** Proves, through the real app, that the v2.10 fixture's identifiers work after the import. */
export async function assertFixtureWorks(ctx: TestContext): Promise<void> {
  const app: FastifyInstance = await buildApp(ctx)
  try {
    const get = (url: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url, headers })

    // A cron line with the old UUID, and one with the old ping key and slug.
    const byUuid = await get('/ping/e0fa660c-750d-4823-8b57-fac67b4e232a')
    assert.equal(byUuid.statusCode, 200)
    assert.equal(byUuid.body, 'OK')
    const bySlug = await get('/ping/llpY1P5Reyu8kIA5dyjW-g/web-heartbeat')
    assert.equal(bySlug.statusCode, 200)
    assert.equal(bySlug.body, 'OK')
    const backups = await get('/ping/WA4IqQBbR6zgHmn2yolCBg/offsite-rsync/start')
    assert.equal(backups.body, 'OK')

    // The old read-write and read-only API keys.
    const rw = await get('/api/v3/checks/', { 'x-api-key': 'P-cylKM9AsVjPap1BpdfsFJqPCZu4KOZ' })
    assert.equal(rw.statusCode, 200)
    const names = (rw.json() as { checks: { name: string }[] }).checks.map((c) => c.name).sort()
    assert.equal(names.length, 7)
    assert.ok(names.includes('Nightly DB backup'))
    const ro = await get('/api/v3/checks/', { 'x-api-key': 'gF7JCRTGP0gyWamSHuhWaJXvw0bl7j0j' })
    assert.equal(ro.statusCode, 200)
    const backupsKey = await get('/api/v3/checks/', {
      'x-api-key': 'udbP_VA07vMhDJJhKjWWktVFEy99Z_wD',
    })
    assert.equal((backupsKey.json() as { checks: unknown[] }).checks.length, 4)

    // A badge path from the fixture's README.
    const badge = await get('/badge/fec2b2a9-da70-4c53-a654-a73a24/3Hnw9hOc-2.svg')
    assert.equal(badge.statusCode, 200)
    assert.match(badge.body, /<svg/)

    // Log-in with the Django password hash, then the TOTP code of the old authenticator app.
    const browser = new FormClient(app, ctx.clock)
    const first = await browser.submit('/login', '/login', {
      email: MARIA.email,
      password: MARIA.password,
    })
    assert.equal(first.headers.location, '/login/second-step')
    const code = new TOTP({
      secret: MARIA.totp,
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
    }).generate({ timestamp: ctx.clock.now() })
    const second = await browser.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code,
    })
    assert.equal(second.statusCode, 303)
    assert.equal(second.headers.location, '/checks/')
    // Her pages render the imported data: checks, integrations, a check's details and log.
    for (const url of [
      '/projects/f22ad878-3ba8-4ce8-8ef4-3088ac007e71/checks/',
      '/projects/f22ad878-3ba8-4ce8-8ef4-3088ac007e71/integrations/',
      '/projects/e28c8ae7-9ccf-4bfe-af76-c11a8fceebde/integrations/',
      '/checks/03d6cf9e-9068-4b9a-bd6e-35183c378abe/details/',
      '/checks/e301bd4f-baea-43b6-9855-f669f38aeb0a/details/',
      '/checks/e301bd4f-baea-43b6-9855-f669f38aeb0a/log/',
    ]) {
      const page = await browser.get(url)
      assert.equal(page.statusCode, 200, url)
    }
    const details = await browser.get('/checks/03d6cf9e-9068-4b9a-bd6e-35183c378abe/details/')
    assert.match(details.body, /Nightly DB backup/)

    // The integrations keep their UUIDs in the API.
    const channels = await get('/api/v3/channels/', {
      'x-api-key': 'P-cylKM9AsVjPap1BpdfsFJqPCZu4KOZ',
    })
    const ids = (channels.json() as { channels: { id: string }[] }).channels.map((c) => c.id)
    assert.equal(ids.length, 9)
    assert.ok(ids.includes('e1f31f2d-c5fe-4861-a37f-b068d6c12787'))

    const admin = await new FormClient(app, ctx.clock).submit('/login', '/login', ADMIN)
    assert.equal(admin.statusCode, 303)
    assert.equal(admin.headers.location, '/checks/')
  } finally {
    await app.close()
  }
}
