/**
 * The crawl behind issue 5's "no page or action can produce a 500": logs in as a superuser with a
 * seeded project, follows every same-origin link and submits every form (empty, hostile text,
 * hostile hidden fields), then asserts no 5xx and that hostile values only ever come back escaped.
 * Forms that end the crawl or destroy the fixtures (remove, revoke, close, logout) go last.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

// ---------------------------------------------------------------------------------------------
// A small HTML tokenizer: enough of the HTML syntax (tags, quoted or bare attributes, comments,
// raw-text elements, entities) to find links and forms without a DOM library.

interface Tag {
  name: string
  attrs: Map<string, string>
}

interface Field {
  /** text (anything typed), hidden, checkbox, radio, select, submit or other (file, …). */
  kind: 'text' | 'hidden' | 'checkbox' | 'radio' | 'select' | 'submit' | 'other'
  name: string
  value: string
  checked: boolean
}

interface Form {
  method: 'get' | 'post'
  /** The action as written (the page itself when absent); resolved by the crawler. */
  action: string
  fields: Field[]
  /** The page the form came from. */
  page: string
}

interface Page {
  links: string[]
  forms: Form[]
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
}

function decodeEntities(s: string): string {
  let out = ''
  let i = 0
  while (i < s.length) {
    const amp = s.indexOf('&', i)
    if (amp < 0) break
    out += s.slice(i, amp)
    const semi = s.indexOf(';', amp)
    const ref = semi > amp ? s.slice(amp + 1, semi) : ''
    let ch: string | undefined
    if (ref.startsWith('#x') || ref.startsWith('#X'))
      ch = codePoint(Number.parseInt(ref.slice(2), 16))
    else if (ref.startsWith('#')) ch = codePoint(Number.parseInt(ref.slice(1), 10))
    else ch = NAMED_ENTITIES[ref]
    if (ch === undefined) {
      out += '&'
      i = amp + 1
    } else {
      out += ch
      i = semi + 1
    }
  }
  return out + s.slice(i)
}

function codePoint(n: number): string | undefined {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined
}

const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f'
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')

/** Reads the start tag whose `<` is at `start`; returns it and the index after its `>`. */
function readStartTag(html: string, start: number): { tag: Tag; end: number } {
  let i = start + 1
  let name = ''
  while (i < html.length && !isSpace(html[i]) && html[i] !== '>' && html[i] !== '/')
    name += html[i++]
  const attrs = new Map<string, string>()
  while (i < html.length && html[i] !== '>') {
    if (isSpace(html[i]) || html[i] === '/') {
      i++
      continue
    }
    let attr = ''
    while (i < html.length && !isSpace(html[i]) && !'=>/'.includes(html[i])) attr += html[i++]
    while (i < html.length && isSpace(html[i])) i++
    let value = ''
    if (html[i] === '=') {
      i++
      while (i < html.length && isSpace(html[i])) i++
      const quote = html[i]
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1)
        const stop = close < 0 ? html.length : close
        value = html.slice(i + 1, stop)
        i = stop + 1
      } else {
        while (i < html.length && !isSpace(html[i]) && html[i] !== '>') value += html[i++]
      }
    }
    if (attr && !attrs.has(attr.toLowerCase())) attrs.set(attr.toLowerCase(), decodeEntities(value))
  }
  return { tag: { name: name.toLowerCase(), attrs }, end: i + 1 }
}

/** Index of the closing `</name` (case-insensitive) at or after `from`, or the end. */
function closingTag(html: string, name: string, from: number): number {
  const at = html.toLowerCase().indexOf(`</${name}`, from)
  return at < 0 ? html.length : at
}

const TEXT_INPUTS = new Set([
  '',
  'text',
  'email',
  'password',
  'search',
  'url',
  'tel',
  'number',
  'date',
  'time',
  'datetime-local',
])

/** The links and forms of a page at `pageUrl` (a path), URLs as written. */
export function parsePage(html: string, pageUrl: string): Page {
  const links: string[] = []
  const forms: Form[] = []
  let form: Form | null = null
  let select: Field | null = null
  let firstOption: string | null = null
  let i = 0
  while (i < html.length) {
    const lt = html.indexOf('<', i)
    if (lt < 0) break
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4)
      i = close < 0 ? html.length : close + 3
      continue
    }
    if (html[lt + 1] === '/') {
      const gt = html.indexOf('>', lt)
      const name = html
        .slice(lt + 2, gt < 0 ? html.length : gt)
        .trim()
        .toLowerCase()
      if (name === 'form') form = null
      if (name === 'select' && select) {
        if (!select.checked && firstOption !== null) select.value = firstOption
        select = null
      }
      i = gt < 0 ? html.length : gt + 1
      continue
    }
    if (!isLetter(html[lt + 1] ?? '')) {
      i = lt + 1
      continue
    }
    const { tag, end } = readStartTag(html, lt)
    i = end
    const attr = (n: string) => tag.attrs.get(n)
    switch (tag.name) {
      case 'script':
      case 'style': {
        const close = closingTag(html, tag.name, i)
        i = close
        break
      }
      case 'a': {
        const href = attr('href')
        if (href !== undefined) links.push(href)
        break
      }
      case 'form': {
        const method = (attr('method') ?? 'get').toLowerCase() === 'post' ? 'post' : 'get'
        form = { method, action: attr('action') || pageUrl, fields: [], page: pageUrl }
        forms.push(form)
        break
      }
      case 'input': {
        const name = attr('name')
        if (!form || !name || tag.attrs.has('disabled')) break
        const type = (attr('type') ?? '').toLowerCase()
        const kind: Field['kind'] = TEXT_INPUTS.has(type)
          ? 'text'
          : type === 'hidden' || type === 'checkbox' || type === 'radio'
            ? type
            : type === 'submit'
              ? 'submit'
              : 'other'
        const fallback = kind === 'checkbox' || kind === 'radio' ? 'on' : ''
        form.fields.push({
          kind,
          name,
          value: attr('value') ?? fallback,
          checked: tag.attrs.has('checked'),
        })
        break
      }
      case 'button': {
        const name = attr('name')
        const type = (attr('type') ?? 'submit').toLowerCase()
        if (form && name && type === 'submit')
          form.fields.push({ kind: 'submit', name, value: attr('value') ?? '', checked: false })
        break
      }
      case 'textarea': {
        const close = closingTag(html, 'textarea', i)
        const name = attr('name')
        if (form && name)
          form.fields.push({
            kind: 'text',
            name,
            value: decodeEntities(html.slice(i, close).replace(/^\n/, '')),
            checked: false,
          })
        i = close
        break
      }
      case 'select': {
        const name = attr('name')
        firstOption = null
        select = null
        if (form && name) {
          select = { kind: 'select', name, value: '', checked: false }
          form.fields.push(select)
        }
        break
      }
      case 'option': {
        if (!select) break
        const close = html.indexOf('<', i)
        const value =
          attr('value') ?? decodeEntities(html.slice(i, close < 0 ? undefined : close)).trim()
        firstOption ??= value
        // `checked` marks that an option was explicitly selected.
        if (tag.attrs.has('selected')) {
          select.value = value
          select.checked = true
        }
        break
      }
    }
  }
  return { links, forms }
}

// ---------------------------------------------------------------------------------------------
// The crawl.

const SCRIPT_MARKER = '<script>alert(1)</script>'
const IMG_MARKER = '<img src=x onerror'
const SHORT_HOSTILE = `${SCRIPT_MARKER}"'><img src=x onerror=alert(1)> Ωmega 🚀 ünïcødé`
const LONG_HOSTILE = `${SHORT_HOSTILE}${'x'.repeat(5000)}`

/**
 * empty: every typed field blank. hostile-text: every typed field the long hostile value.
 * hostile-free-text: only free-text fields (names, descriptions, tags) hostile, the rest as the
 * page filled them, so the value is likely accepted, stored and shown on later pages.
 * hostile-hidden: hidden fields, selects, radios and checkboxes tampered with too.
 */
type Variant = 'empty' | 'hostile-text' | 'hostile-free-text' | 'hostile-hidden'
const VARIANTS: Variant[] = ['empty', 'hostile-text', 'hostile-free-text', 'hostile-hidden']
/** Destructive forms: the real submission (empty) goes last, after the hostile ones fail. */
const DESTRUCTIVE_VARIANTS: Variant[] = [
  'hostile-hidden',
  'hostile-text',
  'hostile-free-text',
  'empty',
]
const FREE_TEXT_RE = /(^|_)(name|desc|tags|title|label|note)s?$/

/** Requests for the logged-in crawl, the revisit, and the destructive forms plus anonymous pages. */
const MAX_REQUESTS = 1400
const REVISIT_REQUESTS = 200
const FINAL_REQUESTS = 300
/** Pages of one shape (ids replaced) visited at most this often, so new checks don't take over. */
const MAX_PER_SHAPE = 6
/** …and pages of one path shape, whatever their query, at most this often. */
const MAX_PER_PATH = 16
const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

function shapeOf(url: string): string {
  const u = new URL(url, 'http://crawl.invalid')
  const keys = [...new Set(u.searchParams.keys())].sort().join('&')
  return `${pathShapeOf(u.pathname)}?${keys}`
}

function pathShapeOf(path: string): string {
  return path.replace(UUID_RE, ':id').replace(/\/\d+(?=\/|$)/g, '/:n')
}

/** Ending the session or destroying the seeded data: submitted after everything else. */
function isDestructive(action: string): boolean {
  const path = action.split('?')[0]
  return /\/(logout|close|delete|remove|revoke|leave|transfer)(\/|$)/.test(path)
}

/** Order of the destructive forms: removals first, then the account, logout last. */
function destructiveRank(action: string): number {
  const path = action.split('?')[0]
  if (path.endsWith('/logout')) return 3
  if (path.includes('/account/close')) return 2
  if (path.includes('/sessions/revoke')) return 1
  return 0
}

interface Finding {
  what: string
  method: string
  url: string
  status: number
  detail: string
}

test('the crawl tokenizer finds links, forms and their fields as a browser would submit them', () => {
  const page = parsePage(
    `<!-- <a href="/commented"> --><a class=x href='/one?a=1&amp;b=2'>1</a>
    <script>const s = '<a href="/in-script">'</script>
    <form method="POST" action="/save"><input type=hidden name=csrf value="tok">
    <input name="title" value="a &quot;b&quot;"><input type="checkbox" name="on" checked>
    <input type="checkbox" name="off"><textarea name="body">
&lt;hi&gt;</textarea>
    <select name="tz"><option>UTC</option><option value="Europe/Riga" selected>Riga</option></select>
    <input name="gone" disabled><button name="action" value="save">Save</button></form>
    <form><input name=q></form>`,
    '/page',
  )
  assert.deepEqual(page.links, ['/one?a=1&b=2'])
  assert.deepEqual(
    page.forms.map((f) => [
      f.method,
      f.action,
      f.fields.map((x) => `${x.kind}:${x.name}=${x.value}`),
    ]),
    [
      [
        'post',
        '/save',
        [
          'hidden:csrf=tok',
          'text:title=a "b"',
          'checkbox:on=on',
          'checkbox:off=on',
          'text:body=<hi>',
          'select:tz=Europe/Riga',
          'submit:action=save',
        ],
      ],
      ['get', '/page', ['text:q=']],
    ],
  )
})

describeEachDatabase('web crawl', (dialect) => {
  // Sign-up with a password, so /signup exists and the anonymous crawl covers it.
  const t = useMonitoringTest(dialect, { SIGNUP_WITH_PASSWORD: 'True' })

  async function seed(): Promise<void> {
    const { ctx, project, alice, bob } = t()
    await ctx.db.kysely
      .updateTable('users')
      .set({ is_superuser: 1 })
      .where('id', '=', alice.id)
      .execute()
    const now = ctx.clock.now()
    // Bob on Alice's team, so the team page has role and remove forms.
    await ctx.db.kysely
      .insertInto('members')
      .values({
        project_id: project.id,
        user_id: bob.id,
        role: 'w',
        created: now,
        invited_by: alice.id,
      })
      .execute()
    const simple = await buildCheck(ctx, project, {
      name: 'nightly backup',
      slug: 'nightly-backup',
      tags: 'prod db',
      desc: 'Runs at night',
      timeout: 86_400,
      grace: 3600,
    })
    const cron = await buildCheck(ctx, project, {
      name: 'cron job',
      kind: 'cron',
      schedule: '*/5 * * * *',
      tz: 'Europe/Riga',
      grace: 300,
    })
    await buildCheck(ctx, project, {
      name: 'calendar job',
      kind: 'oncalendar',
      schedule: 'Mon..Fri 09:00',
      tz: 'UTC',
      grace: 600,
    })
    await buildCheck(ctx, project, {
      name: 'paused one',
      status: 'paused',
      last_ping: now - 60_000,
    })
    await buildChannel(
      ctx,
      project,
      'webhook',
      {
        url_down: 'https://hooks.example.org/down',
        method_down: 'POST',
        body_down: 'down $NAME',
        headers_down: { 'X-Token': 'abc' },
        url_up: '',
        method_up: 'GET',
      },
      [simple, cron],
    )
    await buildChannel(ctx, project, 'email', { value: 'ops@example.org', up: true, down: true }, [
      simple,
    ])
    // Real pings through the ping endpoint, so the check has a ping log and up/down flips.
    for (const suffix of ['/start', '', '/fail', '', '/log']) {
      const r = await t().app.inject({
        method: 'POST',
        url: `/ping/${simple.code}${suffix}`,
        payload: `body ${suffix}`,
        headers: { 'content-type': 'text/plain', 'user-agent': 'crawl/1.0' },
      })
      assert.equal(r.statusCode, 200, `ping ${suffix}`)
      ctx.clock.advance(60_000)
    }
  }

  test('every link and form answers below 500 and hostile values come back escaped', async () => {
    await seed()
    const { app, browser } = t()
    await t().logIn()
    const siteOrigin = new URL(t().ctx.config.siteRoot).origin

    const findings: Finding[] = []
    const visited = new Set<string>()
    const shapes = new Map<string, number>()
    const submitted = new Set<string>()
    const formShapes = new Map<string, number>()
    const queue: string[] = ['/']
    const later: Form[] = []
    const pending: Form[] = []
    const pagesSeen = new Set<string>()
    const formsSeen = new Set<string>()
    let requests = 0
    let posts = 0
    let csrfRefusals = 0
    /** HTML responses showing a hostile value, escaped: proof the values got stored and shown. */
    let escapedEchoes = 0
    let latestCsrf = ''
    let logInsAgain = 0
    /** Requests allowed so far: each phase gets its own share. */
    let budget = MAX_REQUESTS

    /** Same-origin path+query of a link, or null for external and non-HTTP links. */
    function localUrl(href: string, from: string): string | null {
      let u: URL
      try {
        u = new URL(href, new URL(from, siteOrigin))
      } catch {
        return null
      }
      if (u.origin !== siteOrigin) return null
      return u.pathname + u.search
    }

    async function send(
      method: 'GET' | 'POST',
      url: string,
      pairs: [string, string][] = [],
    ): Promise<LightMyRequestResponse> {
      requests++
      const r = await app.inject({
        method,
        url,
        cookies: Object.fromEntries(browser.cookies),
        ...(method === 'POST'
          ? {
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              payload: new URLSearchParams(pairs).toString(),
            }
          : {}),
      })
      for (const c of r.cookies as { name: string; value: string; expires?: Date }[]) {
        if (c.value === '' || (c.expires && c.expires.getTime() <= t().ctx.clock.now()))
          browser.cookies.delete(c.name)
        else browser.cookies.set(c.name, c.value)
      }
      inspect(method, url, r, pairs)
      return r
    }

    function inspect(
      method: string,
      url: string,
      r: LightMyRequestResponse,
      pairs: [string, string][],
    ): void {
      const input = pairs
        .filter(([k]) => k !== 'csrf')
        .map(([k, v]) => `${k}=${v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v}`)
        .join('&')
      if (r.statusCode >= 500)
        findings.push({ what: '5xx', method, url, status: r.statusCode, detail: input })
      const type = String(r.headers['content-type'] ?? '')
      if (/html|svg|xml/.test(type)) {
        for (const marker of [SCRIPT_MARKER, IMG_MARKER]) {
          if (r.body.includes(marker))
            findings.push({
              what: `unescaped ${marker}`,
              method,
              url,
              status: r.statusCode,
              detail: input,
            })
        }
      }
      if (type.includes('html') && r.body.includes('&lt;script')) escapedEchoes++
      if (method === 'POST' && r.statusCode === 403 && r.body.includes('Form expired'))
        csrfRefusals++
      if (type.includes('html')) {
        const m = /name="csrf" value="([^"]+)"/.exec(r.body)
        if (m) latestCsrf = m[1]
      }
    }

    /** Takes in a page's links and forms. */
    function collect(html: string, from: string): void {
      const page = parsePage(html, from)
      for (const href of page.links) {
        const url = localUrl(href, from)
        if (url !== null && !url.startsWith('/ping/')) queue.push(url)
      }
      for (const form of page.forms) {
        const action = localUrl(form.action, from)
        if (action === null) continue
        const key = `${form.method} ${action} ${form.fields.map((f) => `${f.kind}:${f.name}`).join(',')}`
        if (submitted.has(key)) continue
        submitted.add(key)
        const shape = `${form.method} ${shapeOf(action)} ${form.fields.map((f) => f.name).join(',')}`
        const n = formShapes.get(shape) ?? 0
        if (n >= MAX_PER_SHAPE) continue
        formShapes.set(shape, n + 1)
        formsSeen.add(shape)
        const local = { ...form, action }
        if (isDestructive(action)) later.push(local)
        else pending.push(local)
      }
    }

    /** Fields of `form` as a browser would send them, with the variant's values. */
    function fill(form: Form, variant: Variant, submit: Field | null): [string, string][] {
      // The long value only where it stays under the form body limit (64 KiB) on big forms.
      const hostile = variant === 'hostile-text' ? LONG_HOSTILE : SHORT_HOSTILE
      const tamper = variant === 'hostile-hidden'
      const pairs: [string, string][] = []
      const radios = new Set<string>()
      for (const f of form.fields) {
        if (f.name === 'csrf') {
          pairs.push(['csrf', latestCsrf || f.value])
          continue
        }
        switch (f.kind) {
          case 'text':
            if (variant === 'empty') pairs.push([f.name, ''])
            else if (variant === 'hostile-free-text' && !FREE_TEXT_RE.test(f.name))
              pairs.push([f.name, f.value])
            else pairs.push([f.name, hostile])
            break
          case 'hidden':
          case 'select':
            pairs.push([f.name, tamper ? hostile : f.value])
            break
          case 'checkbox':
            if (f.checked || tamper) pairs.push([f.name, tamper ? hostile : f.value])
            break
          case 'radio': {
            if (radios.has(f.name)) break
            const group = form.fields.filter((g) => g.kind === 'radio' && g.name === f.name)
            const chosen = group.find((g) => g.checked) ?? group[0]
            radios.add(f.name)
            pairs.push([f.name, tamper ? hostile : chosen.value])
            break
          }
          case 'submit':
          case 'other':
            break
        }
      }
      if (submit) pairs.push([submit.name, submit.value])
      return pairs
    }

    async function followRedirect(r: LightMyRequestResponse, from: string): Promise<void> {
      const location = r.headers.location
      if (r.statusCode < 300 || r.statusCode >= 400 || typeof location !== 'string') return
      const url = localUrl(location, from)
      if (url === null) return
      const page = await send('GET', url)
      if (String(page.headers['content-type'] ?? '').includes('html')) collect(page.body, url)
    }

    async function submitForm(form: Form, variants: Variant[]): Promise<void> {
      const buttons = form.fields.filter((f) => f.kind === 'submit')
      const choices: (Field | null)[] = buttons.length ? buttons : [null]
      for (const button of choices) {
        for (const variant of variants) {
          if (requests >= budget) return
          const pairs = fill(form, variant, button)
          if (form.method === 'get') {
            const q = new URLSearchParams(pairs).toString()
            const url = `${form.action.split('?')[0]}?${q}`
            const r = await send('GET', url)
            if (r.statusCode === 200 && String(r.headers['content-type']).includes('html'))
              collect(r.body, url)
            continue
          }
          posts++
          const r = await send('POST', form.action, pairs)
          if (
            r.statusCode === 303 &&
            r.headers.location === '/login' &&
            !isDestructive(form.action)
          ) {
            // Something ended the session: note it and carry on logged in.
            findings.push({
              what: 'logged out by a non-destructive form',
              method: 'POST',
              url: form.action,
              status: r.statusCode,
              detail: variant,
            })
            logInsAgain++
            await t().logIn()
          }
          await followRedirect(r, form.action)
        }
      }
    }

    async function crawlLinks(): Promise<void> {
      while ((queue.length || pending.length) && requests < budget) {
        const url = queue.shift()
        if (url === undefined) {
          const form = pending.shift()
          if (form) await submitForm(form, VARIANTS)
          continue
        }
        if (visited.has(url)) continue
        const shape = shapeOf(url)
        const pathShape = pathShapeOf(url.split('?')[0])
        const n = shapes.get(shape) ?? 0
        const m = shapes.get(pathShape) ?? 0
        if (n >= MAX_PER_SHAPE || m >= MAX_PER_PATH) continue
        visited.add(url)
        shapes.set(shape, n + 1)
        shapes.set(pathShape, m + 1)
        pagesSeen.add(shape)
        const r = await send('GET', url)
        if (String(r.headers['content-type'] ?? '').includes('html')) collect(r.body, url)
        else await followRedirect(r, url)
        // Links with a query: also try each parameter with a hostile value.
        const u = new URL(url, siteOrigin)
        for (const key of [...u.searchParams.keys()]) {
          const hostileKey = `${u.pathname}?${key}=hostile`
          if (visited.has(hostileKey) || requests >= budget) continue
          visited.add(hostileKey)
          const v = new URL(u)
          v.searchParams.set(key, SHORT_HOSTILE)
          await send('GET', v.pathname + v.search)
        }
      }
    }

    // 1. Everything that keeps the session and the fixtures.
    await crawlLinks()
    const loggedInCrawlDone = queue.length === 0 && pending.length === 0
    // 2. Pages again, now that hostile values are stored: they must show escaped.
    const revisitEnd = requests + REVISIT_REQUESTS
    for (const url of [...visited]) {
      if (requests >= revisitEnd) break
      if (!url.includes('=hostile')) await send('GET', url)
    }
    const csrfRefusalsLoggedIn = csrfRefusals
    const logInsBeforeEnd = logInsAgain
    // 3. The destructive forms, logout last; then the anonymous pages it leads to.
    budget = requests + FINAL_REQUESTS
    const destructiveForms = later.length
    later.sort((a, b) => destructiveRank(a.action) - destructiveRank(b.action))
    for (const form of later) await submitForm(form, DESTRUCTIVE_VARIANTS)
    const anonymousStart = requests
    budget = requests + FINAL_REQUESTS
    for (const url of ['/', '/login', '/signup', '/login/link']) queue.push(url)
    visited.clear()
    shapes.clear()
    await crawlLinks()
    const anonymousCrawlDone = queue.length === 0 && pending.length === 0
    const anonymousRequests = requests - anonymousStart

    const report = findings.map(
      (f) => `${f.what}: ${f.method} ${f.url} → ${f.status} [${f.detail}]`,
    )
    assert.deepEqual(report, [], report.join('\n'))
    assert.equal(csrfRefusalsLoggedIn, 0, 'forms were refused as expired while logged in')
    assert.equal(logInsBeforeEnd, 0)
    assert.ok(loggedInCrawlDone, 'the logged-in crawl ran out of requests before the end')
    assert.ok(anonymousCrawlDone, 'the anonymous crawl ran out of requests before the end')
    // The crawl must really have covered the app, not stopped at the first page.
    const shapesSeen = [...pagesSeen]
    for (const expected of [
      '/checks/:id/details/?',
      '/checks/:id/edit?',
      '/projects/:id/checks/?',
      '/projects/:id/settings/?',
      '/projects/:id/settings/team?',
      '/projects/:id/integrations/?',
      '/account/security?',
      '/admin/system?',
      '/login?',
      '/signup?',
    ]) {
      assert.ok(
        shapesSeen.includes(expected),
        `not crawled: ${expected} in ${shapesSeen.join(' ')}`,
      )
    }
    assert.ok(escapedEchoes >= 50, `hostile values came back only ${escapedEchoes} times`)
    assert.ok(formsSeen.size >= 20, `only ${formsSeen.size} forms`)
    assert.ok(posts >= 80, `only ${posts} form posts`)
    console.log(
      `crawl (${dialect}): ${requests} requests, ${pagesSeen.size} page shapes, ${formsSeen.size} forms (${destructiveForms} destructive), ${posts} posts, ${escapedEchoes} escaped echoes, ${anonymousRequests} requests after logout`,
    )
  })
})
