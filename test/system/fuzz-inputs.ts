/**
 * The request generator behind fuzz.test.ts: a seeded PRNG and, from a registered route and the
 * fixture's identifiers, one request (method, URL with filled parameters and query, headers,
 * body). Everything it draws comes from the PRNG and never from a response, so one seed always
 * yields the same sequence of requests and a failure can be replayed with FUZZ_SEED.
 */

/** sfc32: small, fast, good enough for test inputs, and the same on every platform. */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed >>> 0
    for (let i = 0; i < 15; i++) this.next()
  }

  /** A float in [0, 1). */
  next(): number {
    this.a >>>= 0
    this.b >>>= 0
    this.c >>>= 0
    this.d >>>= 0
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return (t >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /** Picks by weight: `[[weight, value], …]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((s, [w]) => s + w, 0)
    let r = this.next() * total
    for (const [w, v] of items) {
      r -= w
      if (r < 0) return v
    }
    return items[items.length - 1][1]
  }

  hex(n: number): string {
    let s = ''
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)]
    return s
  }

  uuid(): string {
    const h = this.hex(32)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`
  }
}

/** Identifiers of one side of the fixture: the requester's own project, or a stranger's. */
export interface Identifiers {
  projects: string[]
  checks: string[]
  channels: string[]
  badgeKeys: string[]
  pingKeys: string[]
  slugs: string[]
  apiKeys: string[]
}

export interface FuzzPools {
  own: Identifiers
  foreign: Identifiers
}

/** Form field names and values seen on a GET of a page, keyed by the route's URL pattern. */
export type FormFields = Map<string, [string, string][]>

export interface FuzzRequest {
  method: string
  url: string
  headers: Record<string, string>
  payload?: string | Buffer
}

export type Who = 'owner' | 'readonly' | 'anonymous'

const METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const

/** Values that have broken parsers before, somewhere. */
const NASTY = [
  '',
  ' ',
  '0',
  '-1',
  '1e308',
  '9'.repeat(40),
  '18446744073709551616',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '..',
  '../../etc/passwd',
  '%',
  '%zz',
  '%00',
  '%ff%fe',
  '%C0%AF',
  '%E2%80%AE',
  '\u0000',
  '\u202e',
  '☃',
  '😀',
  'é',
  'İ',
  "'; drop table checks; --",
  '" or "1"="1',
  '<script>alert(1)</script>',
  '$' + '{7*7}',
  '{{7*7}}',
  '\\',
  '//evil.example/',
  '/\\evil.example',
  'javascript:alert(1)',
  'http://127.0.0.1:9/',
  'https://vigil-fuzz.invalid/',
  'a@b',
  'alice@example.org',
  '* * * * *',
  '61 25 * * *',
  'Europe/Riga',
  'Mars/Olympus',
  '2026-01-15T12:00:00Z',
  '-2026-13-45',
  '1 day',
  'x'.repeat(300),
]

const KINDS = [
  'email',
  'webhook',
  'slack',
  'discord',
  'telegram',
  'pd',
  'ntfy',
  'sms',
  'call',
  'whatsapp',
  'signal',
  'shell',
  'zulip',
  'msteamsw',
  'mattermost',
  'gotify',
  'pushover',
  'matrix',
  'opsgenie',
  'apprise',
  'googlechat',
  'rocketchat',
  'spike',
  'victorops',
  'pagertree',
  'pushbullet',
]

/** Cookies the web pages read (a person's own cookies are tampered with too). */
const COOKIE_NAMES = [
  'vigil_csrf',
  'vigil_theme',
  'vigil_next',
  'vigil_pending',
  'vigil_passkey',
  'vigil_oidc',
  'vigil_not_emailed',
]

const QUERY_KEYS = [
  'next',
  'tag',
  'slug',
  'create',
  'rid',
  'limit',
  'start',
  'end',
  'page',
  'sort',
  'status',
  'u',
  'a',
  'b',
  'format',
  'v',
  'e',
  'search',
  'q',
  'since',
  'until',
  'n',
  'kind',
  'api_key',
  'schedule',
  'tz',
  'kinds',
  'reason',
  'token',
  'code',
  'state',
  'seconds',
  'method',
  'unsaved',
  'ended',
  'project',
  'after',
  'done',
  'states',
  'used_recovery_code',
  'compact',
  'tags',
]

const JSON_KEYS = [
  'name',
  'slug',
  'tags',
  'desc',
  'timeout',
  'grace',
  'schedule',
  'tz',
  'manual_resume',
  'methods',
  'channels',
  'unique',
  'filter_subject',
  'filter_body',
  'success_kw',
  'failure_kw',
  'start_kw',
  'subject',
  'subject_fail',
  'api_key',
  'kind',
  'value',
  'url',
  'start',
  'end',
]

const FORM_KEYS = [
  'name',
  'email',
  'password',
  'next',
  'code',
  'kind',
  'timeout_value',
  'timeout_unit',
  'grace_value',
  'grace_unit',
  'schedule',
  'tz',
  'action',
  'role',
  'label',
  'url_down',
  'url_up',
  'value',
  'project',
  'check',
  'token',
  'phone',
  'otp',
  'address',
  'all',
  'channel_name',
  'codes',
  'confirm_name',
  'current',
  'down',
  'up',
  'expires_days',
  'key',
  'method',
  'nag_period',
  'password_confirm',
  'ref',
  'reports',
  'response',
  'saved',
  'theme',
  'user',
]

function percentEncodeAll(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) => `%${b.toString(16).padStart(2, '0')}`)
    .join('')
}

/** Bytes that are not UTF-8, and a form/JSON value that carries them. */
const INVALID_UTF8 = Buffer.from([0x61, 0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x62])

/** A mutation of a valid value: mostly itself, else case, encoding, truncation, extension. */
export function mutate(rng: Rng, valid: string): string {
  return rng.weighted<() => string>([
    [25, () => valid],
    [2, () => valid.toUpperCase()],
    [2, () => percentEncodeAll(valid)],
    [1, () => valid.replace(/[a-f]/, (c) => percentEncodeAll(c))],
    [1, () => valid.slice(0, rng.int(valid.length + 1))],
    [1, () => valid + rng.pick(NASTY)],
    [1, () => rng.pick(NASTY) + valid],
    [1, () => `${valid}/${valid}`],
    [1, () => valid.repeat(2 + rng.int(20))],
    [1, () => ` ${valid} `],
    [1, () => valid.replace(/-/g, '')],
  ])()
}

/** Any value at all: nasty, random, or a (mutated) identifier. */
function anyValue(rng: Rng, pools: FuzzPools): string {
  return rng.weighted<() => string>([
    [4, () => rng.pick(NASTY)],
    [2, () => rng.uuid()],
    [2, () => String(rng.int(1000) - 10)],
    [1, () => rng.hex(1 + rng.int(64))],
    [2, () => mutate(rng, identifier(rng, pools, rng.pick(['checks', 'channels', 'projects'])))],
  ])()
}

type IdKind = keyof Identifiers

function identifier(rng: Rng, pools: FuzzPools, kind: IdKind): string {
  const side = rng.chance(0.75) ? pools.own : pools.foreign
  const list = side[kind].length > 0 ? side[kind] : pools.own[kind]
  return list.length > 0 ? rng.pick(list) : rng.uuid()
}

/** A value for the path segment, already URL-safe unless raw unicode was chosen. */
function urlSafe(rng: Rng, s: string): string {
  if (rng.chance(0.05)) return s.replace(/[\s#?]/g, encodeURIComponent)
  return s.replace(/[^A-Za-z0-9\-._~%!$&'()*+,;=:@/]/g, (c) => percentEncodeAll(c))
}

function paramValue(rng: Rng, pools: FuzzPools, pattern: string, name: string): string {
  const resource: IdKind =
    name === 'project'
      ? 'projects'
      : /\/(integrations|channels)\//.test(pattern)
        ? 'channels'
        : 'checks'
  if (rng.chance(0.1)) return anyValue(rng, pools)
  switch (name) {
    case 'project':
    case 'code':
      return mutate(
        rng,
        /notifications/.test(pattern) ? rng.uuid() : identifier(rng, pools, resource),
      )
    case 'key':
      return mutate(
        rng,
        pattern.startsWith('/badge/')
          ? identifier(rng, pools, 'badgeKeys')
          : identifier(rng, pools, 'apiKeys'),
      )
    case 'n':
      return rng.pick(['1', '2', '3', '0', '-1', '99999999999999999999', '1.5', '0x1', '01'])
    case 'kind':
      return mutate(rng, rng.pick(KINDS))
    case 'states':
      return rng.pick(['up', 'down', 'late', 'up,down', 'new', 'paused', 'x'.repeat(50)])
    case 'file':
      return `${rng.pick(['tag', 'backups', '*', rng.hex(8)])}.${rng.pick(['svg', 'json', 'shields', 'png', 'svg.svg', ''])}`
    case 'sig':
      return rng.chance(0.5) ? rng.hex(8) : rng.hex(rng.int(20))
    case 'token':
      return rng.chance(0.5) ? rng.hex(64) : `${rng.hex(64)}:${rng.hex(6)}:${rng.hex(43)}`
    case 'version':
      return rng.pick(['v1', 'v2', 'v3', 'v4', 'V3'])
    default:
      return anyValue(rng, pools)
  }
}

/** The part of a ping URL after /ping/. */
function pingSuffix(rng: Rng, pools: FuzzPools): string {
  const action = rng.weighted([
    [6, ''],
    [2, '/start'],
    [2, '/fail'],
    [1, '/log'],
    [1, '/0'],
    [1, '/1'],
    [1, '/255'],
    [1, rng.pick(['/256', '/-1', '/x', '/01', '/start/'])],
  ])
  const id = (kind: IdKind) => urlSafe(rng, mutate(rng, identifier(rng, pools, kind)))
  return rng.weighted<() => string>([
    [6, () => `${id('checks')}${action}`],
    [3, () => `${id('pingKeys')}/${id('slugs')}${action}`],
    [1, () => urlSafe(rng, anyValue(rng, pools))],
    [
      1,
      () =>
        `${identifier(rng, pools, 'checks')}/${urlSafe(rng, anyValue(rng, pools))}/${urlSafe(rng, anyValue(rng, pools))}`,
    ],
  ])()
}

/** A URL for the route pattern, parameters filled in. */
export function fillUrl(rng: Rng, pools: FuzzPools, pattern: string): string {
  const path = pattern.replace(/:(\w+)(\([^)]*\))?|\*/g, (m, name: string | undefined) => {
    if (m === '*')
      return pattern.startsWith('/ping/')
        ? pingSuffix(rng, pools)
        : urlSafe(rng, anyValue(rng, pools))
    return urlSafe(rng, paramValue(rng, pools, pattern, name ?? ''))
  })
  if (path.length > 1 && rng.chance(0.03))
    return path.endsWith('/') ? path.slice(0, -1) : `${path}/`
  return path
}

/** A URL a page linked to: as is, or with one segment upper-cased or percent-encoded. */
function knownUrl(rng: Rng, url: string): string {
  const [path, query] = url.split('?')
  const segments = path.split('/')
  const i = 1 + rng.int(Math.max(1, segments.length - 1))
  if (i < segments.length && rng.chance(0.3)) {
    segments[i] = rng.chance(0.5) ? segments[i].toUpperCase() : percentEncodeAll(segments[i])
  }
  return segments.join('/') + (query === undefined ? '' : `?${query}`)
}

function queryString(rng: Rng, pools: FuzzPools): string {
  if (rng.chance(0.45)) return ''
  const parts: string[] = []
  const n = 1 + rng.int(4)
  for (let i = 0; i < n; i++) {
    const key = rng.chance(0.9) ? rng.pick(QUERY_KEYS) : urlSafe(rng, anyValue(rng, pools))
    const value = urlSafe(rng, anyValue(rng, pools))
    parts.push(
      rng.weighted<() => string>([
        [8, () => `${key}=${value}`],
        [1, () => key],
        [1, () => `${key}[]=${value}&${key}[]=${value}`],
        [1, () => `${key}[a][b]=${value}`],
        [1, () => `${key}=${value}&${key}=${urlSafe(rng, anyValue(rng, pools))}`],
      ])(),
    )
  }
  if (rng.chance(0.05)) parts.push('&&==&%')
  return `?${parts.join('&')}`
}

/** A JSON value of a random type, from sensible to absurd. */
function jsonValue(rng: Rng, pools: FuzzPools, depth = 0): unknown {
  return rng.weighted<() => unknown>([
    [5, () => anyValue(rng, pools)],
    [3, () => rng.pick([0, 1, -1, 60, 86400, 31536000, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 0.5])],
    [1, () => rng.chance(0.5)],
    [1, () => null],
    [
      1,
      () =>
        depth > 3 ? [] : Array.from({ length: rng.int(4) }, () => jsonValue(rng, pools, depth + 1)),
    ],
    [1, () => (depth > 3 ? {} : jsonObject(rng, pools, depth + 1))],
  ])()
}

function jsonObject(rng: Rng, pools: FuzzPools, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  const n = rng.int(6)
  for (let i = 0; i < n; i++) {
    const key = rng.chance(0.9) ? rng.pick(JSON_KEYS) : anyValue(rng, pools)
    o[key] = jsonValue(rng, pools, depth)
  }
  return o
}

/** A deeply nested array, to find recursion without a bound. */
function deepJson(n: number): string {
  return '['.repeat(n) + ']'.repeat(n)
}

function apiKeyHeader(rng: Rng, pools: FuzzPools): Record<string, string> {
  return rng.weighted<() => Record<string, string>>([
    [7, () => ({ 'x-api-key': pools.own.apiKeys[0] })],
    [1, () => ({ 'x-api-key': pools.own.apiKeys[pools.own.apiKeys.length - 1] })],
    [1, () => ({ 'x-api-key': rng.pick(pools.foreign.apiKeys) })],
    [1, () => ({ 'x-api-key': mutate(rng, pools.own.apiKeys[0]).replace(/[^\x20-\x7e]/g, '') })],
    [1, () => ({})],
  ])()
}

function apiBody(rng: Rng, pools: FuzzPools): Pick<FuzzRequest, 'headers' | 'payload'> {
  return rng.weighted<() => Pick<FuzzRequest, 'headers' | 'payload'>>([
    [
      8,
      () => {
        const body = jsonObject(rng, pools)
        if (rng.chance(0.2)) body.api_key = rng.pick(pools.own.apiKeys)
        return {
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        }
      },
    ],
    [1, () => ({ headers: { 'content-type': 'application/json' }, payload: '' })],
    [1, () => ({ headers: { 'content-type': 'application/json' }, payload: '{"name": "x"' })],
    [1, () => ({ headers: { 'content-type': 'application/json' }, payload: deepJson(5000) })],
    [
      1,
      () => ({
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(jsonValue(rng, pools)),
      }),
    ],
    [
      1,
      () => ({
        headers: { 'content-type': 'application/json' },
        payload: Buffer.concat([Buffer.from('{"name": "'), INVALID_UTF8, Buffer.from('"}')]),
      }),
    ],
    [1, () => otherBody(rng)],
  ])()
}

function otherBody(rng: Rng): Pick<FuzzRequest, 'headers' | 'payload'> {
  return rng.pick<Pick<FuzzRequest, 'headers' | 'payload'>>([
    { headers: { 'content-type': 'text/plain' }, payload: 'name=x' },
    { headers: { 'content-type': 'application/xml' }, payload: '<a>b</a>' },
    { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=%zz&b' },
    {
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n',
    },
    { headers: { 'content-type': 'application/json; charset=latin1' }, payload: '{}' },
    { headers: { 'content-type': '' }, payload: 'x' },
    { headers: { 'content-type': 'application/json' }, payload: INVALID_UTF8 },
    { headers: {}, payload: 'x'.repeat(70 * 1024) },
  ])
}

function formBody(
  rng: Rng,
  pools: FuzzPools,
  fields: [string, string][] | undefined,
  csrf: string | null,
): Pick<FuzzRequest, 'headers' | 'payload'> {
  if (rng.chance(0.08)) return otherBody(rng)
  const out: [string, string][] = []
  // Mostly the page's own values with one or two fields changed, so validation passes often
  // enough to reach the use cases; sometimes every field at once.
  const all = rng.chance(0.25)
  const given = (fields ?? []).filter(([name]) => name !== 'csrf')
  const changed = new Set(
    all ? given.map((_, i) => i) : Array.from({ length: rng.int(3) }, () => rng.int(given.length)),
  )
  given.forEach(([name, value], i) => {
    if (!changed.has(i)) out.push([name, value])
    else if (rng.chance(0.9))
      out.push([name, rng.chance(0.5) ? mutate(rng, value) : anyValue(rng, pools)])
  })
  const extra = given.length > 0 ? rng.int(2) : 1 + rng.int(4)
  for (let i = 0; i < extra; i++) out.push([rng.pick(FORM_KEYS), anyValue(rng, pools)])
  if (rng.chance(0.1) && out.length > 0) out.push(rng.pick(out))
  const token = rng.weighted<() => string | null>([
    [17, () => csrf],
    [1, () => null],
    [1, () => 'x'.repeat(43)],
    [1, () => (csrf ? mutate(rng, csrf) : rng.hex(43))],
  ])()
  if (token !== null) out.push(['csrf', token])
  if (rng.chance(0.05)) {
    return {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: Buffer.concat([
        Buffer.from(new URLSearchParams(out).toString()),
        Buffer.from('&name='),
        INVALID_UTF8,
      ]),
    }
  }
  return {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(out).toString(),
  }
}

function pingBody(rng: Rng): Pick<FuzzRequest, 'headers' | 'payload'> {
  return rng.pick<Pick<FuzzRequest, 'headers' | 'payload'>>([
    { headers: {}, payload: undefined },
    { headers: { 'content-type': 'text/plain' }, payload: 'backup done' },
    { headers: { 'content-type': 'application/json' }, payload: '{"broken' },
    { headers: { 'content-type': 'application/octet-stream' }, payload: INVALID_UTF8 },
    { headers: { 'content-type': '' }, payload: 'x' },
    { headers: { 'content-type': 'text/plain' }, payload: 'y'.repeat(200_000) },
  ])
}

function extraHeaders(rng: Rng): Record<string, string> {
  if (rng.chance(0.8)) return {}
  return rng.pick<Record<string, string>>([
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { accept: 'application/json' },
    { accept: '*/*;q=0.1, text/html;q=0' },
    { 'accept-language': 'xx-YY,*;q=0.5' },
    { 'user-agent': 'x'.repeat(2000) },
    { 'x-forwarded-for': '1.2.3.4, garbage, ::1' },
    { 'if-none-match': '"x"' },
    { range: 'bytes=5-1' },
    { 'x-http-method-override': 'DELETE' },
    { host: 'LOCALHOST:8000' },
    { host: '[::1]:8000' },
    { host: 'evil.example' },
    { host: 'localhost:99999' },
    { 'content-length': '0' },
    { 'transfer-encoding': 'chunked' },
  ])
}

export interface RouteInfo {
  url: string
  methods: string[]
}

export interface RequestContext {
  pools: FuzzPools
  forms: FormFields
  /** URLs the pages link to, by route pattern: used (lightly mutated) instead of a filled one. */
  knownUrls: Map<string, string[]>
  /** The session cookie value per person (none for anonymous). */
  cookies: Record<Who, Record<string, string>>
  csrf: Record<Who, string | null>
}

/** One request for the route, on behalf of `who`. */
export function generateRequest(
  rng: Rng,
  route: RouteInfo,
  who: Who,
  c: RequestContext,
): FuzzRequest & { cookies: Record<string, string> } {
  const method = rng.chance(0.85) ? rng.pick(route.methods) : rng.pick(METHODS)
  const known = c.knownUrls.get(route.url)
  const url =
    known && rng.chance(0.5)
      ? knownUrl(rng, rng.pick(known))
      : fillUrl(rng, c.pools, route.url) + queryString(rng, c.pools)
  let cookies = c.cookies[who]
  if (rng.chance(0.04)) {
    // A tampered cookie: one of the person's own, or a stray one, with a nasty value.
    const names = Object.keys(cookies)
    const name = names.length > 0 && rng.chance(0.8) ? rng.pick(names) : rng.pick(COOKIE_NAMES)
    const value = rng.chance(0.5) ? mutate(rng, cookies[name] ?? rng.hex(43)) : rng.pick(NASTY)
    cookies = { ...cookies, [name]: value.replace(/[^\x21-\x7e]|[;,"\\]/g, '') }
  }
  let body: Pick<FuzzRequest, 'headers' | 'payload'> = { headers: {} }
  const hasBody = method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS'
  if (route.url.startsWith('/ping/')) {
    if (hasBody || rng.chance(0.1)) body = pingBody(rng)
  } else if (route.url.startsWith('/api/') || route.url.startsWith('/badge')) {
    const key = apiKeyHeader(rng, c.pools)
    body = hasBody ? apiBody(rng, c.pools) : { headers: {} }
    body = { ...body, headers: { ...key, ...body.headers } }
  } else if (hasBody) {
    body = formBody(rng, c.pools, c.forms.get(route.url), c.csrf[who])
  }
  return {
    method,
    url,
    headers: { ...body.headers, ...extraHeaders(rng) },
    payload: body.payload,
    cookies,
  }
}
