/**
 * Issue 11's seeded fuzz test: a few thousand requests across every registered route (ping, API,
 * web forms), with the owner's and a read-only member's sessions and CSRF tokens, valid API keys
 * and identifiers of the fixture's own and a stranger's project mixed with garbage, on SQLite and
 * PostgreSQL. It asserts no 5xx, no thrown error, nothing leaving loopback, and that the app still
 * answers at the end. FUZZ_SEED replays a run (the seed is printed), FUZZ_REQUESTS scales it
 * (2000 per database by default: well under 30 s each here). A bug it finds gets its own
 * `SEC-FUZZ …` regression test in the test file of the route, fixed at its root in src.
 */
import assert from 'node:assert/strict'
import { lookup as dnsLookup } from 'node:dns/promises'
import net from 'node:net'
import { Writable } from 'node:stream'
import { after, before, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import pino from 'pino'
import { buildApp } from '../../src/app.js'
import type { Project, User } from '../../src/db/index.js'
import { createApiKey } from '../../src/projects/manage-api-keys.js'
import { buildChannel, buildCheck, buildProject, buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase, type TestDialect } from '../helpers/databases.js'
import { installLoopbackGuard, type LoopbackGuard } from '../helpers/loopback-only.js'
import { csrfFrom, FormClient } from '../web/form-client.js'
import {
  type FormFields,
  type FuzzPools,
  type FuzzRequest,
  generateRequest,
  type Identifiers,
  Rng,
  type RouteInfo,
  type Who,
} from './fuzz-inputs.js'

const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : Math.floor(Math.random() * 2 ** 31)
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000)
const PASSWORD = 'correct horse battery'
const SITE_ROOT = 'http://localhost:8000'
/** Re-establish sessions, keys and fixtures this often: the fuzzer deletes and revokes things. */
const REFRESH_EVERY = 200
const SHOWN_FAILURES = 5

console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS}`)

interface Side {
  email: string
  user: User
  project: Project
  ids: Identifiers
}

/** What the fuzzer runs against: the app built once per database, and Alice's and Carol's projects. */
interface Fixture {
  ctx: TestContext
  app: FastifyInstance
  guard: LoopbackGuard
  /** Errors the app logged (with stacks): the cause behind a 500. */
  logged: string[]
  routes: RouteInfo[]
  /** Alice: a superuser who owns "Backups"; Bob is a read-only member of it. */
  alice: Side
  /** Carol: a stranger whose identifiers are the "another user's" values. */
  carol: Side
  bob: { email: string; user: User }
  browsers: Record<Who, FormClient>
  csrf: Record<Who, string | null>
  forms: FormFields
  /** Same-origin URLs the pages link to, by route pattern. */
  knownUrls: Map<string, string[]>
  /** The fixture password's hash, put back before each log-in. */
  passwordHash: string
  /** What the fixture could not restore (shown as diagnostics). */
  notes: string[]
}

async function populate(ctx: TestContext, app: FastifyInstance, email: string): Promise<Side> {
  const built = await buildProject(ctx, email, `Project of ${email} ${ctx.clock.now()}`)
  await ctx.db.kysely
    .updateTable('projects')
    .set({ ping_key: `pk${built.project.code.replace(/-/g, '').slice(0, 20)}` })
    .where('id', '=', built.project.id)
    .execute()
  const project = await ctx.db.kysely
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', built.project.id)
    .executeTakeFirstOrThrow()
  const side: Side = {
    email,
    user: built.owner,
    project,
    ids: {
      projects: [project.code],
      checks: [],
      channels: [],
      badgeKeys: [project.badge_key],
      pingKeys: [project.ping_key ?? ''],
      slugs: ['backups', 'db-dump'],
      apiKeys: [built.apiKey, built.apiKeyReadonly],
    },
  }
  await addChecks(ctx, app, side, 3)
  await addChannels(ctx, side)
  return side
}

/** A webhook (to a closed loopback port, which the private-address guard refuses) and an email. */
async function addChannels(ctx: TestContext, side: Side) {
  const webhook = await buildChannel(ctx, side.project, 'webhook', {
    method_down: 'POST',
    url_down: 'http://127.0.0.1:9/down',
    body_down: '$NAME is $STATUS',
    url_up: 'https://vigil-fuzz.invalid/up',
  })
  const mail = await buildChannel(ctx, side.project, 'email', {
    value: side.email,
    up: true,
    down: true,
  })
  side.ids.channels.push(webhook.code, mail.code)
}

/** Adds checks (one simple with a slug, one cron, one paused) with pings, flips and a channel. */
async function addChecks(ctx: TestContext, app: FastifyInstance, side: Side, n: number) {
  const variants = [
    { name: 'backups', slug: 'backups', tags: 'prod db' },
    {
      name: 'db dump',
      slug: 'db-dump',
      kind: 'cron' as const,
      schedule: '5 4 * * *',
      tz: 'Europe/Riga',
    },
    { name: 'paused one', status: 'paused' as const, manual_resume: 1 as const },
  ]
  for (let i = 0; i < n; i++) {
    const check = await buildCheck(ctx, side.project, variants[i % variants.length])
    side.ids.checks.push(check.code)
    side.ids.badgeKeys.push(check.badge_key)
    for (const suffix of ['/start', '', '/fail', '/log']) {
      await app.inject({ method: 'POST', url: `/ping/${check.code}${suffix}`, payload: 'hello' })
    }
  }
}

/** Every registered route with its methods, as the app registers them (new routes are fuzzed too). */
/** `/api/:version(v1|v2|v3)/…` as its three URLs, so each API version is fuzzed on its own. */
function concreteVersions(url: string): string[] {
  const m = /:version\(([\w|]+)\)/.exec(url)
  if (!m) return [url]
  return m[1].split('|').map((v) => url.replace(m[0], v))
}

function collectRoutes(): {
  byUrl: Map<string, Set<string>>
  onRoute(r: { method: string | string[]; url: string }): void
} {
  const byUrl = new Map<string, Set<string>>()
  return {
    byUrl,
    onRoute(r) {
      for (const url of concreteVersions(r.url)) {
        const methods = byUrl.get(url) ?? new Set<string>()
        for (const m of [r.method].flat()) methods.add(m)
        byUrl.set(url, methods)
      }
    },
  }
}

/**
 * Logs `who` in afresh, first putting back the fixture's address and password (the fuzzer may
 * have changed them in sudo mode) and clearing second factors and the log-in throttle. Should it
 * still fail, the person stays anonymous until the next refresh, which only narrows what the
 * requests reach; the reason is shown as a diagnostic.
 */
async function logIn(f: Fixture, who: Who, user: User): Promise<void> {
  const db = f.ctx.db.kysely
  await db
    .updateTable('users')
    .set({ email: user.email, password_hash: f.passwordHash })
    .where('id', '=', user.id)
    .execute()
  for (const table of ['user_totp', 'recovery_codes', 'webauthn_credentials'] as const) {
    await db.deleteFrom(table).where('user_id', '=', user.id).execute()
  }
  // Wrong passwords the fuzzer sent for this address throttle the log-in.
  await db.deleteFrom('login_attempts').execute()
  await db.deleteFrom('token_buckets').execute()
  const browser = f.browsers[who]
  browser.cookies.clear()
  const r = await browser.submit('/login', '/login', { email: user.email, password: PASSWORD })
  const page = await browser.get('/account/security')
  f.csrf[who] = page.statusCode === 200 ? csrfFrom(page.body) : null
  if (f.csrf[who] === null)
    f.notes.push(`${user.email} could not log in again: ${r.statusCode} ${r.body.slice(0, 200)}`)
}

/** Values a person would type where the page leaves a field empty. */
const TYPED: Record<string, string> = {
  password: PASSWORD,
  email: 'dave@example.org',
  name: 'nightly job',
  label: 'laptop key',
  url_down: 'http://127.0.0.1:9/down',
  url_up: 'https://vigil-fuzz.invalid/up',
  value: 'ops@example.org',
  phone: '+37120000000',
  timeout_value: '1',
  grace_value: '1',
  schedule: '*/5 * * * *',
  tz: 'UTC',
}

/** Field names and values of every form on the page (a select's selected or first option). */
function formFields(html: string): [string, string][] {
  const out: [string, string][] = []
  const tags = /<(input|textarea|button)\b[^>]*>|<select\b[^>]*>([\s\S]*?)<\/select>/g
  for (const m of html.matchAll(tags)) {
    const open = m[0].slice(0, m[0].indexOf('>') + 1)
    const name = /\bname="([^"]*)"/.exec(open)?.[1]
    if (!name) continue
    const options = m[2] ?? ''
    const option =
      /<option\b[^>]*\bselected[^>]*>/.exec(options)?.[0] ?? /<option\b[^>]*>/.exec(options)?.[0]
    const value = /\bvalue="([^"]*)"/.exec(option ?? open)?.[1] ?? ''
    const decoded = value
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&amp;/g, '&')
    out.push([name, decoded === '' ? (TYPED[name] ?? '') : decoded])
  }
  return out
}

/** A matcher for the concrete URLs of a route pattern. */
function patternRegExp(pattern: string): RegExp {
  const parts = pattern.split(/(:\w+(?:\([^)]*\))?|\*)/)
  const body = parts
    .map((p, i) =>
      i % 2 === 1 ? (p === '*' ? '.*' : '[^/]+') : p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('')
  return new RegExp(`^${body}$`)
}

/**
 * Opens every page as the owner would (Alice's identifiers filled in) and keeps, per route
 * pattern, the fields of the forms that post to it and the same-origin URLs the pages link to
 * (badge URLs with their signatures, metrics keys, …), which the generator then mutates.
 */
async function harvest(f: Fixture): Promise<void> {
  const matchers = f.routes.map((r) => ({ route: r, re: patternRegExp(r.url) }))
  const patternOf = (url: string, method: string) =>
    matchers.find((m) => m.route.methods.includes(method) && m.re.test(url))?.route.url
  for (const route of f.routes) {
    if (!route.methods.includes('GET') || /^\/(api|ping|static)\//.test(route.url)) continue
    const url = validUrl(route.url, f.alice.ids)
    if (!url) continue
    const page = await f.browsers.owner.get(url)
    if (page.statusCode !== 200 || !/html/.test(String(page.headers['content-type']))) continue
    for (const m of page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
      const action = decodeHtml(/\baction="([^"]*)"/.exec(m[1])?.[1] ?? url).split('?')[0]
      const pattern = patternOf(action, 'POST')
      if (pattern) f.forms.set(pattern, [...(f.forms.get(pattern) ?? []), ...formFields(m[2])])
    }
    for (const m of page.body.matchAll(
      /\b(?:href|src|value)="(?:http:\/\/localhost:8000)?(\/[^"]*)"/g,
    )) {
      const link = decodeHtml(m[1])
      const pattern = patternOf(link.split('?')[0], 'GET')
      if (!pattern) continue
      const known = f.knownUrls.get(pattern) ?? []
      if (!known.includes(link) && known.length < 20) f.knownUrls.set(pattern, [...known, link])
    }
  }
}

function decodeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** The URL of a pattern filled with Alice's first identifiers (for harvesting forms). */
function validUrl(pattern: string, ids: Identifiers): string | null {
  let ok = true
  const url = pattern.replace(/:(\w+)(\([^)]*\))?|\*/g, (m, name) => {
    if (name === 'project') return ids.projects[0]
    if (name === 'code')
      return /integrations|channels/.test(pattern) ? ids.channels[0] : ids.checks[0]
    if (name === 'n') return '1'
    if (name === 'kind') return 'webhook'
    ok = false
    return m
  })
  return ok ? url : null
}

async function setUp(dialect: TestDialect): Promise<Fixture> {
  const guard = installLoopbackGuard()
  const logged: string[] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      if (logged.length < 50) logged.push(String(chunk))
      done()
    },
  })
  const base = await createTestContext(dialect, { SITE_ROOT })
  const ctx: TestContext = { ...base, log: pino({ level: 'error' }, sink) }
  const collected = collectRoutes()
  const app = await buildApp(ctx, { onRoute: (r) => collected.onRoute(r) })
  await app.ready()
  const alice = await populate(ctx, app, 'alice@example.org')
  await ctx.db.kysely
    .updateTable('users')
    .set({ is_superuser: 1 })
    .where('id', '=', alice.user.id)
    .execute()
  const carol = await populate(ctx, app, 'carol@example.org')
  const bob = (await buildProject(ctx, 'bob@example.org', 'Bobs Project')).owner
  const f: Fixture = {
    ctx,
    app,
    guard,
    logged,
    routes: [...collected.byUrl].map(([url, m]) => ({ url, methods: [...m] })),
    alice,
    carol,
    bob: { email: 'bob@example.org', user: bob },
    browsers: {
      owner: new FormClient(app, ctx.clock),
      readonly: new FormClient(app, ctx.clock),
      anonymous: new FormClient(app, ctx.clock),
    },
    csrf: { owner: null, readonly: null, anonymous: null },
    forms: new Map(),
    knownUrls: new Map(),
    passwordHash: (
      await ctx.db.kysely
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', alice.user.id)
        .executeTakeFirstOrThrow()
    ).password_hash as string,
    notes: [],
  }
  await ensureFixture(f)
  await harvest(f)
  return f
}

/**
 * Puts back what the fuzzer may have taken away: deleted checks and channels, revoked API keys,
 * Bob's read-only membership, a project's 2FA policy, and the sessions.
 */
async function ensureFixture(f: Fixture): Promise<void> {
  const { ctx, app } = f
  const db = ctx.db.kysely
  // People first: an account may have been closed, or its address changed.
  for (const person of [f.alice, f.carol, f.bob]) {
    const row = await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', person.user.id)
      .executeTakeFirst()
    if (row) {
      await db.updateTable('users').set({ email: person.email }).where('id', '=', row.id).execute()
    } else {
      await db.deleteFrom('users').where('email', '=', person.email).execute()
      person.user = await buildUser(ctx, person.email, PASSWORD)
      if (person === f.alice)
        await db
          .updateTable('users')
          .set({ is_superuser: 1 })
          .where('id', '=', person.user.id)
          .execute()
    }
  }
  for (const side of [f.alice, f.carol]) {
    const project = await db
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', side.project.id)
      .executeTakeFirst()
    if (!project) {
      Object.assign(side, await populate(ctx, app, side.email))
      continue
    }
    await db
      .updateTable('projects')
      .set({ require_2fa: 0, owner_id: side.user.id })
      .where('id', '=', project.id)
      .execute()
    // After an accepted transfer the old owner is a member: an owner never is (the app relies on it).
    await db
      .deleteFrom('members')
      .where('project_id', '=', project.id)
      .where('user_id', '=', side.user.id)
      .execute()
    for (const [table, ids, restore] of [
      ['checks', side.ids.checks, (n: number) => addChecks(ctx, app, side, n)],
      ['channels', side.ids.channels, () => addChannels(ctx, side)],
    ] as const) {
      const left =
        ids.length === 0
          ? []
          : await db.selectFrom(table).select('code').where('code', 'in', ids).execute()
      const missing = ids.length - left.length
      if (table === 'checks') side.ids.checks = left.map((c) => c.code)
      else side.ids.channels = left.map((c) => c.code)
      if (missing > 0 || left.length === 0) await restore(Math.max(missing, 1))
    }
    const keyWorks = await app.inject({
      method: 'GET',
      url: '/api/v3/checks/',
      headers: { 'x-api-key': side.ids.apiKeys[0] },
    })
    if (keyWorks.statusCode !== 200) {
      for (const kind of ['rw', 'ro'] as const) {
        const k = await createApiKey(ctx, { project, actor: side.user, kind, expiresInDays: null })
        assert.ok(k.ok, 'a new API key for the fixture')
        side.ids.apiKeys[kind === 'rw' ? 0 : 1] = k.value.key
      }
    }
  }
  await ctx.db.kysely
    .deleteFrom('members')
    .where('project_id', '=', f.alice.project.id)
    .where('user_id', '=', f.bob.user.id)
    .execute()
  await ctx.db.kysely
    .insertInto('members')
    .values({
      project_id: f.alice.project.id,
      user_id: f.bob.user.id,
      role: 'r',
      created: ctx.clock.now(),
      invited_by: f.alice.user.id,
    })
    .execute()
  for (const [who, user] of [
    ['owner', f.alice.user],
    ['readonly', f.bob.user],
  ] as const) {
    const r = await f.browsers[who].get('/account/security')
    if (r.statusCode !== 200) await logIn(f, who, user)
  }
  const anon = await f.browsers.anonymous.get('/login')
  f.csrf.anonymous = anon.statusCode === 200 ? csrfFrom(anon.body) : null
}

function pools(f: Fixture): FuzzPools {
  return { own: f.alice.ids, foreign: f.carol.ids }
}

/** Ping, API and web routes in the proportions of the issue; each kind's routes uniformly. */
function pickRoute(rng: Rng, routes: RouteInfo[]): RouteInfo {
  const ping = routes.filter((r) => r.url.startsWith('/ping/'))
  const api = routes.filter((r) => r.url.startsWith('/api/') || /^\/(badge|b)\//.test(r.url))
  const web = routes.filter((r) => !ping.includes(r) && !api.includes(r))
  return rng.pick(
    rng.weighted([
      [2, ping],
      [3, api],
      [5, web],
    ]),
  )
}

function describeFailure(
  req: FuzzRequest & { cookies?: Record<string, string> },
  who: Who,
  detail: string,
): string {
  const body =
    req.payload === undefined
      ? ''
      : Buffer.isBuffer(req.payload)
        ? `<bytes ${req.payload.toString('hex').slice(0, 200)}>`
        : req.payload.slice(0, 500)
  return `${req.method} ${req.url} as ${who}\n  headers: ${JSON.stringify(req.headers).slice(0, 300)}\n  body: ${body}\n  ${detail}`
}

/** Runs the seeded requests; returns the failures found (first few described in full). */
async function fuzz(
  f: Fixture,
  seed: number,
  count: number,
): Promise<{ failures: string[]; statuses: Map<number, number> }> {
  const rng = new Rng(seed)
  const failures: string[] = []
  const statuses = new Map<number, number>()
  const crashes: unknown[] = []
  const onCrash = (e: unknown) => crashes.push(e)
  process.on('unhandledRejection', onCrash)
  process.on('uncaughtException', onCrash)
  try {
    for (let i = 0; i < count; i++) {
      if (i > 0 && i % REFRESH_EVERY === 0) await ensureFixture(f)
      const route = pickRoute(rng, f.routes)
      const isWebRoute = !route.url.startsWith('/ping/') && !route.url.startsWith('/api/')
      const who: Who = isWebRoute
        ? rng.weighted([
            [45, 'owner'],
            [25, 'readonly'],
            [30, 'anonymous'],
          ] as const)
        : 'anonymous'
      const req = generateRequest(rng, route, who, {
        pools: pools(f),
        forms: f.forms,
        knownUrls: f.knownUrls,
        cookies: {
          owner: Object.fromEntries(f.browsers.owner.cookies),
          readonly: Object.fromEntries(f.browsers.readonly.cookies),
          anonymous: Object.fromEntries(f.browsers.anonymous.cookies),
        },
        csrf: f.csrf,
      })
      const loggedBefore = f.logged.length
      let r: LightMyRequestResponse
      try {
        r = await f.app.inject({
          method: req.method as 'GET',
          url: req.url,
          headers: req.headers,
          cookies: req.cookies,
          payload: req.payload,
        })
      } catch (e) {
        failures.push(describeFailure(req, who, `request #${i} threw: ${(e as Error).stack}`))
        continue
      }
      statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1)
      if (r.statusCode >= 500 || crashes.length > 0) {
        const log = f.logged.slice(loggedBefore).join('').slice(0, 1500)
        failures.push(
          describeFailure(
            req,
            who,
            `request #${i} → ${r.statusCode}: ${r.body.slice(0, 500)}\n  log: ${log}${crashes.length ? `\n  crash: ${String((crashes[0] as Error)?.stack ?? crashes[0])}` : ''}`,
          ),
        )
        crashes.length = 0
      }
    }
  } finally {
    process.off('unhandledRejection', onCrash)
    process.off('uncaughtException', onCrash)
  }
  return { failures, statuses }
}

describeEachDatabase('SEC-FUZZ seeded requests across every route', (dialect) => {
  let f: Fixture
  before(async () => {
    f = await setUp(dialect)
  })
  after(async () => {
    f.guard.uninstall()
    await f.app.close()
    await f.ctx.drop()
  })

  test('the fuzzer knows the ping, API and web routes from the app itself', () => {
    const urls = f.routes.map((r) => r.url)
    for (const url of ['/ping/*', '/api/v3/checks/:code', '/checks/:code/details/', '/login']) {
      assert.ok(urls.includes(url), `route ${url} enumerated`)
    }
    assert.ok(f.forms.size > 10, `forms harvested: ${[...f.forms.keys()].join(' ')}`)
  })

  test('nothing the app sends leaves loopback: other hosts are refused at once', async () => {
    const refused = f.guard.refusedConnections.length
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = net.connect(443, '93.184.215.14')
      socket.on('error', resolve)
      socket.on('connect', () => resolve(Object.assign(new Error('connected'), { code: 'OK' })))
    })
    assert.equal(error.code, 'ECONNREFUSED')
    assert.equal(f.guard.refusedConnections.length, refused + 1)
    await assert.rejects(dnsLookup('example.org'), { code: 'ENOTFOUND' })
  })

  test(`${REQUESTS} seeded requests: no 5xx, no crash, nothing leaves loopback (seed ${SEED})`, async (t) => {
    const started = Date.now()
    const { failures, statuses } = await fuzz(f, SEED, REQUESTS)
    t.diagnostic(
      `FUZZ_SEED=${SEED} ${REQUESTS} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    )
    if (f.notes.length > 0) t.diagnostic(`fixture: ${[...new Set(f.notes)].join('; ')}`)
    t.diagnostic(
      `refused outbound: ${f.guard.refusedConnections.length} connections, ${f.guard.refusedLookups.length} lookups`,
    )
    assert.equal(
      failures.length,
      0,
      `FUZZ_SEED=${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS} TEST_DB=${dialect}): ${failures.length} failures; the first ones:\n\n${failures.slice(0, SHOWN_FAILURES).join('\n\n')}`,
    )
    // Still answers: a ping, the API and a page.
    await ensureFixture(f)
    const check = f.alice.ids.checks[0]
    assert.equal((await f.app.inject({ method: 'GET', url: `/ping/${check}` })).statusCode, 200)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/v3/status/' })).statusCode, 200)
    assert.equal((await f.browsers.anonymous.get('/login')).statusCode, 200)
  })
})
