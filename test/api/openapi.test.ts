import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import Ajv2020Module from 'ajv/dist/2020.js'
import Fastify from 'fastify'
import { API_ROUTES, openApiDocument } from '../../src/api/openapi.js'
import { apiRoutes } from '../../src/api/routes.js'
import { apiStatusRoutes } from '../../src/api/status-routes.js'
import { CheckSpecSchema, parseCheckSpec } from '../../src/checks/check-input.js'
import { createTestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, call, createApiHarness, SITE_ROOT } from './api-harness.js'

// ajv ships CommonJS; its class is the default export of the module object.
type AjvClass = new (
  o: object,
) => {
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown }
  validateSchema(schema: object): boolean
  errors?: unknown
}
const Ajv2020 = ((Ajv2020Module as unknown as { default?: AjvClass }).default ??
  Ajv2020Module) as unknown as AjvClass

type Doc = {
  openapi: string
  info: { title: string; version: string }
  paths: Record<string, Record<string, Record<string, unknown>>>
  components: { schemas: Record<string, object>; securitySchemes: Record<string, object> }
  tags: Array<{ name: string }>
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** A path with its parameters as `{}` and without a trailing slash, for comparing route tables. */
function normalise(path: string): string {
  return path
    .replace(':version(v1|v2|v3)', 'v3')
    .replace(/:\w+/g, '{}')
    .replace(/\{\w+\}/g, '{}')
    .replace(/\/$/, '')
}

function resolveRef(doc: Doc, ref: string): unknown {
  assert.match(ref, /^#\//, ref)
  let node: unknown = doc
  for (const part of ref.slice(2).split('/')) {
    node = (node as Record<string, unknown> | undefined)?.[part]
  }
  return node
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) collectRefs(n, out)
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else collectRefs(v, out)
    }
  }
  return out
}

describe('OpenAPI document', () => {
  const doc = openApiDocument(SITE_ROOT) as unknown as Doc

  test('it is OpenAPI 3.1 with info, paths and components', () => {
    assert.match(doc.openapi, /^3\.1\.\d+$/)
    assert.equal(typeof doc.info.title, 'string')
    assert.equal(typeof doc.info.version, 'string')
    assert.ok(Object.keys(doc.paths).length > 0)
  })

  test('every operation has an id, a tag, responses and its path parameters', () => {
    const ids = new Set<string>()
    const tags = new Set(doc.tags.map((t) => t.name))
    for (const [path, item] of Object.entries(doc.paths)) {
      assert.match(path, /^\//)
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`
        assert.ok(METHODS.includes(method), where)
        assert.equal(typeof op.operationId, 'string', where)
        assert.ok(!ids.has(op.operationId as string), `duplicate operationId ${op.operationId}`)
        ids.add(op.operationId as string)
        for (const t of op.tags as string[]) assert.ok(tags.has(t), `${where}: tag ${t}`)
        const responses = op.responses as Record<string, { description?: unknown }>
        assert.ok(Object.keys(responses).length > 0, where)
        for (const [status, res] of Object.entries(responses)) {
          assert.match(status, /^([1-5]\d\d|[1-5]XX|default)$/, where)
          assert.equal(typeof res.description, 'string', `${where} ${status}`)
        }
        const params = (op.parameters ?? []) as Array<{
          name: string
          in: string
          required: boolean
        }>
        const pathParams = params.filter((p) => p.in === 'path')
        assert.deepEqual(pathParams.map((p) => p.name).sort(), templated, where)
        for (const p of pathParams) assert.equal(p.required, true, `${where} ${p.name}`)
        for (const s of (op.security ?? []) as Array<Record<string, unknown>>) {
          for (const name of Object.keys(s)) assert.ok(doc.components.securitySchemes[name], name)
        }
      }
    }
  })

  test('every $ref resolves and every schema is valid JSON Schema 2020-12', () => {
    for (const r of collectRefs(doc)) assert.ok(resolveRef(doc, r), r)
    const ajv = new Ajv2020({ strict: false })
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      // $refs between components are resolved by the document, not by ajv: check shape only.
      assert.ok(ajv.validateSchema(schema), `${name}: ${JSON.stringify(ajv.errors)}`)
    }
  })

  test('Vigil extensions are marked and live under /api/v3/ only', () => {
    const marked = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op['x-vigil-extension'] === true)
        .map(([method]) => `${method} ${path}`),
    )
    assert.deepEqual(marked.sort(), [
      'delete /api/v3/channels/{code}',
      'delete /api/v3/checks/{code}/snooze',
      'get /api/v3/channels/{code}',
      'get /api/v3/maintenance',
      'get /api/v3/openapi.json',
      'post /api/v3/channels/',
      'post /api/v3/channels/{code}',
      'post /api/v3/checks/{code}/snooze',
      'post /api/v3/maintenance',
      'post /api/v3/snooze',
    ])
    // The list stays Healthchecks' own.
    assert.equal(doc.paths['/api/v3/channels/'].get['x-vigil-extension'], undefined)
  })

  test('the published check schema is the one the API validates with', () => {
    assert.deepEqual(doc.components.schemas.CheckSpec, JSON.parse(JSON.stringify(CheckSpecSchema)))
  })

  test('the published check schema agrees with the validator', () => {
    const validate = new Ajv2020({ strict: false }).compile(CheckSpecSchema)
    const samples: unknown[] = [
      '',
      'x',
      'x'.repeat(100),
      'x'.repeat(101),
      'x'.repeat(201),
      'Has Caps',
      'ok-slug_1',
      'POST',
      'GET',
      0,
      59,
      60,
      3600,
      31_536_000,
      31_536_001,
      1.5,
      true,
      false,
      null,
      [],
      ['name'],
      ['nope'],
      {},
      '0 3 * * *',
    ]
    const fields = Object.keys(CheckSpecSchema.properties)
    for (const field of fields) {
      // Schedules and zones are checked further than a schema can say (a parser, the zone list).
      if (field === 'schedule' || field === 'tz') continue
      for (const value of samples) {
        const body = { [field]: value }
        // JSON booleans are Python ints for timeout/grace: `true` fails as "is too small" there,
        // which the schema (type integer) refuses too.
        assert.equal(validate(body), parseCheckSpec(body).ok, `${field}: ${JSON.stringify(value)}`)
      }
    }
    assert.equal(validate({ schedule: 'x'.repeat(101) }), false)
    assert.equal(validate({ tz: 5 }), false)
  })
})

describeEachDatabase('OpenAPI document and the registered routes', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  test('every registered /api/v3 route is in the document, and every documented one exists', async () => {
    const ctx = await createTestContext(dialect)
    const app = Fastify()
    const registered = new Set<string>()
    app.addHook('onRoute', (r) => {
      const url = normalise(r.url)
      if (
        url.startsWith('/api/v3/') ||
        url.startsWith('/badge/') ||
        url.startsWith('/b/') ||
        url.startsWith('/projects/')
      )
        registered.add(url)
    })
    await app.register(apiStatusRoutes, { ctx })
    await app.register(apiRoutes, { ctx })
    await app.ready()
    await app.close()
    await ctx.drop()
    const doc = openApiDocument(SITE_ROOT) as unknown as Doc
    // Fastify sees `<tag>.<format>` as one parameter; compare at segment level.
    const documented = new Set(
      Object.keys(doc.paths).map((p) => normalise(p).replace(/\{\}\.\{\}/g, '{}')),
    )
    for (const url of registered) assert.ok(documented.has(url), `undocumented route ${url}`)
    for (const url of documented)
      assert.ok(registered.has(url), `documented but not served: ${url}`)
  })

  test('documented methods are exactly what each API endpoint allows', async () => {
    for (const [path, item] of Object.entries(openApiDocument(SITE_ROOT).paths as Doc['paths'])) {
      // Without Healthchecks' CORS wrapper: metrics, status, delivery status callbacks, bounces.
      if (!path.startsWith('/api/v3/') || /\/(metrics|status|bounces)\/?$/.test(path)) continue
      const url = path.replace('{code}', crypto.randomUUID()).replace('{n}', '1')
      const r = await call(h.app, 'OPTIONS', url)
      assert.equal(r.statusCode, 204, url)
      const allowed = String(r.headers['access-control-allow-methods']).split(', ')
      assert.deepEqual(
        allowed.filter((m) => m !== 'OPTIONS').sort(),
        Object.keys(item)
          .map((m) => m.toUpperCase())
          .sort(),
        path,
      )
    }
  })

  test('the route table names every method once per path', () => {
    const seen = new Set(API_ROUTES.map((r) => `${r.method} ${r.path}`))
    assert.equal(seen.size, API_ROUTES.length)
  })

  test('it is served at /api/v3/openapi.json without a key, and only under v3', async () => {
    const r = await call(h.app, 'GET', '/api/v3/openapi.json')
    assert.equal(r.statusCode, 200)
    assert.match(String(r.headers['content-type']), /^application\/json/)
    assert.deepEqual(r.json(), openApiDocument(SITE_ROOT))
    assert.equal(r.json().servers[0].url, SITE_ROOT)
    assert.equal(r.headers['access-control-allow-origin'], '*')
    for (const v of [1, 2]) {
      assert.equal((await call(h.app, 'GET', `/api/v${v}/openapi.json`)).statusCode, 404)
    }
  })
})
