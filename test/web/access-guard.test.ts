/**
 * The web access guard (issue 11 F2, F5): enumerates every route the web plugin registers and
 * proves that each declares its access, and that every project-scoped route refuses a stranger,
 * an anonymous visitor, a read-only member on every write and a member without 2FA on a project
 * that requires it — with the UUID as stored, percent-encoded and upper-case — before any handler
 * runs (nothing in the database changes). Upper-case UUIDs resolve, as lower-case ones do.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify'
import type { MemberRole, Project, User } from '../../src/db/index.js'
import { assertRouteDeclaresAccess, type RouteAccess } from '../../src/web/access-guard.js'
import { webRoutes } from '../../src/web/routes.js'
import { buildChannel, buildCheck, buildProject, buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'

interface WebRoute {
  method: string
  url: string
  access: RouteAccess | undefined
}

/** Every route the web plugin registers, as Fastify's onRoute sees it (HEAD twins left out). */
async function collectWebRoutes(ctx: TestContext): Promise<WebRoute[]> {
  const app = Fastify()
  const routes: WebRoute[] = []
  app.addHook('onRoute', (r: RouteOptions) => {
    for (const method of [r.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: r.url, access: r.config?.access })
  })
  await app.register(webRoutes, { ctx })
  await app.ready()
  await app.close()
  return routes
}

type ProjectScoped = WebRoute & { access: Exclude<RouteAccess, string> }

function isProjectScoped(r: WebRoute): r is ProjectScoped {
  return typeof r.access === 'object'
}

/** The route's URL with `code` (in one spelling) for its resource and harmless values elsewhere. */
function urlOf(route: ProjectScoped, code: string): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === route.access.param) return code
    return name === 'n' ? '1' : name === 'kind' ? 'slack' : 'x'
  })
}

/** The three spellings of a UUID a URL can carry: as stored, one character percent-encoded, upper-case. */
function spellings(code: string): { label: string; code: string }[] {
  const encoded = `%${code.charCodeAt(0).toString(16)}${code.slice(1)}`
  return [
    { label: 'plain', code },
    { label: 'percent-encoded', code: encoded },
    { label: 'upper-case', code: code.toUpperCase() },
  ]
}

const WRITE_TABLES = [
  'projects',
  'checks',
  'channels',
  'check_channels',
  'check_dependencies',
  'members',
  'api_keys',
  'notifications',
  'flips',
  'pings',
  'mail_outbox',
  'status_pages',
  'status_page_checks',
  'status_page_notes',
  'status_page_note_updates',
] as const

/** What a refused request must not change. */
async function snapshot(ctx: TestContext): Promise<string> {
  const out: Record<string, unknown> = {}
  for (const table of WRITE_TABLES) {
    const rows = await ctx.db.kysely.selectFrom(table).selectAll().execute()
    out[table] = rows.map((row) => JSON.stringify(row)).sort()
  }
  return JSON.stringify(out)
}

test('SEC-F2 a web route without an access declaration fails at registration', async () => {
  const app = Fastify()
  app.addHook('onRoute', assertRouteDeclaresAccess)
  await assert.rejects(async () => {
    app.get('/projects/:project/forgotten', async () => 'oops')
    await app.ready()
  }, /declares no valid config\.access/)
  const other = Fastify()
  other.addHook('onRoute', assertRouteDeclaresAccess)
  await assert.rejects(async () => {
    other.get(
      '/checks/:code/x',
      { config: { access: { resource: 'check', param: 'check' } } },
      async () => 'oops',
    )
    await other.ready()
  }, /access param "check" is not in its path/)
})

describeEachDatabase('SEC-F2 the web access guard', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let routes: WebRoute[]
  let project: Project
  let locked: Project
  const codes = { project: '', check: '', channel: '' }
  const lockedCodes = { project: '', check: '', channel: '' }
  const clients: Record<'alice' | 'stranger' | 'readonly' | 'no2fa', FormClient> = {} as never
  const csrf: Record<string, string> = {}

  async function addMember(p: Project, user: User, role: MemberRole) {
    await ctx.db.kysely
      .insertInto('members')
      .values({ project_id: p.id, user_id: user.id, role, created: 0, invited_by: p.owner_id })
      .execute()
  }

  async function logIn(email: string): Promise<FormClient> {
    const client = new FormClient(app, ctx.clock)
    const r = await client.submit('/login', '/login', { email, password: PASSWORD })
    assert.equal(r.statusCode, 303, `log-in as ${email}`)
    csrf[email] = csrfFrom((await client.get('/account/profile')).body)
    return client
  }

  before(async () => {
    ctx = await createTestContext(dialect)
    routes = await collectWebRoutes(ctx)
    app = await testApp(ctx)
    const a = await buildProject(ctx, 'alice@example.org', 'Backups')
    project = a.project
    const check = await buildCheck(ctx, project, { name: 'nightly' })
    const channel = await buildChannel(ctx, project, 'webhook', { url_down: 'https://x.test/' }, [
      check,
    ])
    Object.assign(codes, { project: project.code, check: check.code, channel: channel.code })
    locked = (await buildProject(ctx, 'alice@example.org', 'Vault')).project
    await ctx.db.kysely
      .updateTable('projects')
      .set({ require_2fa: 1 })
      .where('id', '=', locked.id)
      .execute()
    const secret = await buildCheck(ctx, locked, { name: 'vault-secret-job' })
    const lockedChannel = await buildChannel(ctx, locked, 'webhook', {
      url_down: 'https://vault.test/',
    })
    Object.assign(lockedCodes, {
      project: locked.code,
      check: secret.code,
      channel: lockedChannel.code,
    })
    await buildProject(ctx, 'bob@example.org', 'Bobs Project')
    await addMember(project, await buildUser(ctx, 'carol@example.org', PASSWORD), 'r')
    await addMember(locked, await buildUser(ctx, 'dave@example.org', PASSWORD), 'w')
    clients.alice = await logIn('alice@example.org')
    clients.stranger = await logIn('bob@example.org')
    clients.readonly = await logIn('carol@example.org')
    clients.no2fa = await logIn('dave@example.org')
  })
  after(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  function projectScoped(): ProjectScoped[] {
    const scoped = routes.filter(isProjectScoped)
    assert.ok(scoped.length >= 40, `only ${scoped.length} project-scoped routes found`)
    return scoped
  }

  async function send(client: FormClient | null, method: string, url: string, email?: string) {
    if (method === 'GET') return client ? client.get(url) : app.inject({ method: 'GET', url })
    const fields = { csrf: email ? csrf[email] : 'x', name: 'changed', email: 'x@example.org' }
    if (client)
      return client.post(url, { ...fields, user: '1', role: 'm', confirm_name: 'Backups' })
    return app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    })
  }

  test('every web route declares its access, and the project-scoped ones name a path parameter', () => {
    assert.ok(routes.length > 80, `only ${routes.length} web routes found`)
    const undeclared = routes.filter((r) => r.access === undefined)
    assert.deepEqual(undeclared, [])
    for (const r of projectScoped())
      assert.ok(r.url.includes(`:${r.access.param}`), `${r.method} ${r.url}`)
    // Every URL of the kinds the probe found reachable without a declaration is now scoped.
    for (const prefix of ['/projects/:project', '/checks/:code', '/integrations/:code'])
      for (const r of routes.filter((x) => x.url.startsWith(prefix) && !x.url.includes('/unsub/')))
        assert.equal(typeof r.access, 'object', `${r.method} ${r.url} is not project-scoped`)
  })

  test('a stranger gets 404 from every project-scoped route, in every spelling of the UUID', async () => {
    const before = await snapshot(ctx)
    for (const route of projectScoped()) {
      for (const s of spellings(codes[route.access.resource])) {
        const url = urlOf(route, s.code)
        const r = await send(clients.stranger, route.method, url, 'bob@example.org')
        assert.equal(r.statusCode, 404, `${route.method} ${url} (${s.label})`)
        assert.doesNotMatch(r.body, /nightly|Backups/, `${route.method} ${url} leaks`)
      }
    }
    assert.equal(await snapshot(ctx), before)
  })

  test('an anonymous visitor is sent to log in (JSON routes: 403) from every project-scoped route', async () => {
    const before = await snapshot(ctx)
    for (const route of projectScoped()) {
      for (const s of spellings(codes[route.access.resource])) {
        const url = urlOf(route, s.code)
        const r = await send(null, route.method, url)
        if (url.endsWith('.json')) {
          assert.equal(r.statusCode, 403, `${route.method} ${url} (${s.label})`)
          continue
        }
        assert.equal(r.statusCode, 303, `${route.method} ${url} (${s.label})`)
        assert.match(String(r.headers.location), /^\/login(\?next=%2F|$)/)
      }
    }
    assert.equal(await snapshot(ctx), before)
  })

  test('a read-only member is refused every write with 403 and nothing changes', async () => {
    const before = await snapshot(ctx)
    const writes = projectScoped().filter((r) => r.method !== 'GET')
    assert.ok(writes.length >= 25)
    for (const route of writes) {
      for (const s of spellings(codes[route.access.resource])) {
        const url = urlOf(route, s.code)
        const r = await send(clients.readonly, route.method, url, 'carol@example.org')
        if (route.access.role === 'readonly') {
          // Leaving the team, accepting or rejecting a transfer offered to oneself: the use
          // case decides, and with nothing offered nothing happens.
          assert.ok(r.statusCode >= 400, `${route.method} ${url} (${s.label}): ${r.statusCode}`)
          continue
        }
        assert.equal(r.statusCode, 403, `${route.method} ${url} (${s.label})`)
      }
    }
    assert.equal(await snapshot(ctx), before)
  })

  test('a member without 2FA is refused every route of a project that requires it', async () => {
    const before = await snapshot(ctx)
    for (const route of projectScoped()) {
      for (const s of spellings(lockedCodes[route.access.resource])) {
        const url = urlOf(route, s.code)
        const r = await send(clients.no2fa, route.method, url, 'dave@example.org')
        assert.equal(r.statusCode, 403, `${route.method} ${url} (${s.label})`)
        if (!url.endsWith('.json')) assert.match(r.body, /href="\/account\/security"/)
        assert.doesNotMatch(r.body, /vault-secret-job/)
      }
    }
    assert.equal(await snapshot(ctx), before)
  })

  test('upper-case and percent-encoded UUIDs resolve to the same check for a member', async () => {
    for (const s of spellings(codes.check)) {
      const r = await clients.alice.get(`/checks/${s.code}/details/`)
      assert.equal(r.statusCode, 200, s.label)
      assert.match(r.body, /nightly/)
      assert.match(r.body, new RegExp(`/checks/${codes.check}/edit`))
    }
    const json = await clients.readonly.get(`/checks/${codes.check.toUpperCase()}/status.json`)
    assert.equal(json.statusCode, 200)
    assert.equal(JSON.parse(json.body).checks.length, 1)
  })

  test('the pages listing several projects show a 2FA-locked project as locked, without its data', async () => {
    for (const path of ['/', '/checks/', '/projects/']) {
      const r = await clients.no2fa.get(path)
      assert.equal(r.statusCode, 200, path)
      assert.match(r.body, /data-locked/, path)
      assert.match(r.body, /requires two-factor authentication/, path)
      assert.doesNotMatch(r.body, /vault-secret-job/, path)
      assert.doesNotMatch(r.body, new RegExp(lockedCodes.project), path)
    }
    const own = await clients.alice.get('/projects/')
    assert.match(own.body, /Backups/)
    assert.match(own.body, /data-locked/, 'the owner without 2FA is held to the policy too')
  })
})

describeEachDatabase('SEC-F5 test notifications', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  before(async () => {
    ctx = await createTestContext(dialect)
    app = await testApp(ctx)
  })
  after(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  test('a read-only member cannot send a test notification', async () => {
    const { project } = await buildProject(ctx, 'alice@example.org', 'Backups')
    const channel = await buildChannel(ctx, project, 'webhook', { url_down: 'https://x.test/' })
    const carol = await buildUser(ctx, 'carol@example.org', PASSWORD)
    await ctx.db.kysely
      .insertInto('members')
      .values({ project_id: project.id, user_id: carol.id, role: 'r', created: 0, invited_by: 1 })
      .execute()
    const client = new FormClient(app, ctx.clock)
    await client.submit('/login', '/login', { email: 'carol@example.org', password: PASSWORD })
    const page = await client.get(`/projects/${project.code}/integrations/`)
    assert.equal(page.statusCode, 200)
    const r = await client.post(`/integrations/${channel.code}/test/`, {
      csrf: csrfFrom(page.body),
    })
    assert.equal(r.statusCode, 403)
    assert.match(r.body, /read-only access/)
    const queued = await ctx.db.kysely.selectFrom('notifications').selectAll().execute()
    assert.deepEqual(queued, [])
  })
})
